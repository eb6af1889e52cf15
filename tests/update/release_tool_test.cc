// `iotawatt release keygen|sign|verify` as a publisher runs them: a key pair, an update server
// directory with the bundles and the class's manifest, and a check of it as a device would.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "app/daemon_process.h"
#include "base/files.h"
#include "update/digest.h"
#include "update/manifest.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;
using iw::testing::iotawatt_command;
using iw::testing::run_command;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

class ReleaseTool : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = iw::testing::temp_path("release");
    fs::create_directories(dir_);
  }
  // Runs `iotawatt release <args>` in dir_; returns stdout and stderr.
  std::string release(const std::string& args, int* rc) {
    return run_command("cd " + dir_ + " && " + iotawatt_command() + " release " + args + " 2>&1", rc);
  }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << content;
    return name;
  }
  std::string public_key(const std::string& key) {
    std::string pub = read_file(dir_ + "/" + key + ".pub", 100).value();
    return pub.substr(0, pub.find('\n'));
  }
  std::string dir_;
};

TEST_F(ReleaseTool, KeygenWritesAPrivateKeyAndNeverOverwritesIt) {
  int rc = -1;
  const std::string out = release("keygen --out signing.pem", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(mode_of(dir_ + "/signing.pem"), 0600u);
  EXPECT_EQ(mode_of(dir_ + "/signing.pem.pub"), 0644u);
  const std::string pub = public_key("signing.pem");
  EXPECT_TRUE(is_public_key_hex(pub)) << pub;
  EXPECT_NE(out.find(pub), std::string::npos);
  const std::string before = read_file(dir_ + "/signing.pem", 4096).value();
  EXPECT_NE(release("keygen --out signing.pem", &rc).find("signing.pem exists"), std::string::npos);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(read_file(dir_ + "/signing.pem", 4096).value(), before);
}

TEST_F(ReleaseTool, SignPublishesBundlesAndAManifestThatVerifies) {
  int rc = -1;
  ASSERT_EQ((release("keygen --out k.pem", &rc), rc), 0);
  write("iotawatt_1.4.0_arm64.tar.gz", std::string(70000, 'a'));
  write("iotawatt_1.4.0_armhf.deb", "armhf bundle");
  const std::string out = release(
      "sign --key k.pem --class beta --version 1.4.0 --min-version 1.2.0 --days 7 --out srv "
      "iotawatt_1.4.0_arm64.tar.gz iotawatt_1.4.0_armhf.deb",
      &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("signed 1.4.0 for class BETA (2 bundles"), std::string::npos) << out;
  const std::string manifest_path = dir_ + "/srv/manifests/BETA.json";
  EXPECT_EQ(mode_of(manifest_path), 0644u);
  EXPECT_EQ(read_file(dir_ + "/srv/bundles/1.4.0/iotawatt_1.4.0_armhf.deb", 100).value(), "armhf bundle");

  auto m =
      open_manifest(read_file(manifest_path, kMaxManifestBytes).value(), {public_key("k.pem")}, std::time(nullptr));
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m.value().version.to_string(), "1.4.0");
  EXPECT_EQ(m.value().min_version.to_string(), "1.2.0");
  EXPECT_EQ(m.value().update_class, UpdateClass::kBeta);
  EXPECT_NEAR(static_cast<double>(m.value().expires - m.value().published), 7 * 86400, 0);
  ASSERT_NE(m.value().bundle_for("arm64"), nullptr);
  EXPECT_EQ(m.value().bundle_for("arm64")->size, 70000u);
  EXPECT_EQ(m.value().bundle_for("arm64")->sha256, sha256_hex(std::string(70000, 'a')));

  const std::string verify = "verify --trust " + public_key("k.pem") + " srv/manifests/BETA.json";
  std::string checked = release(verify, &rc);
  EXPECT_EQ(rc, 0) << checked;
  EXPECT_NE(checked.find("arm64: bundles/1.4.0/iotawatt_1.4.0_arm64.tar.gz 70000 bytes: ok"), std::string::npos)
      << checked;

  // A bundle changed on the server after signing is caught, and so is a stranger's key.
  write("srv/bundles/1.4.0/iotawatt_1.4.0_armhf.deb", "armhf bundle, altered");
  checked = release(verify, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(checked.find("armhf: bundles/1.4.0/iotawatt_1.4.0_armhf.deb 12 bytes: size or SHA-256 differs"),
            std::string::npos)
      << checked;
  checked = release("verify --trust " + std::string(64, 'a') + " srv/manifests/BETA.json", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(checked.find("which this device does not trust"), std::string::npos) << checked;
}

TEST_F(ReleaseTool, SignRefusesWhatWouldPublishTheWrongThing) {
  int rc = -1;
  ASSERT_EQ((release("keygen --out k.pem", &rc), rc), 0);
  write("iotawatt_1.4.0_arm64.tar.gz", "a");
  write("iotawatt_1.3.9_armhf.tar.gz", "b");
  write("not-a-key.pem", "hello");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--version 1.4.0 iotawatt_1.3.9_armhf.tar.gz", "not named iotawatt_1.4.0_<arch>.deb or .tar.gz"},
           {"--version 1.4 iotawatt_1.4.0_arm64.tar.gz", "version '1.4'"},
           {"--version 1.4.0 --class NONE iotawatt_1.4.0_arm64.tar.gz", "--class: one of MAJOR, MINOR, BETA, ALPHA"},
           {"--version 1.4.0 --days 0 iotawatt_1.4.0_arm64.tar.gz", "--days: between 1 and 366"},
           {"--version 1.4.0 --rotate-to abc iotawatt_1.4.0_arm64.tar.gz", "--rotate-to abc"},
           {"--version 1.4.0 iotawatt_1.4.0_arm64.tar.gz iotawatt_1.4.0_arm64.tar.gz", "two bundles for arm64"},
       }) {
    const std::string out = release("sign --key k.pem --out srv " + c.args, &rc);
    EXPECT_EQ(rc, 1) << c.args;
    EXPECT_NE(out.find(c.message), std::string::npos) << c.args << ": " << out;
  }
  const std::string out =
      release("sign --key not-a-key.pem --out srv --version 1.4.0 iotawatt_1.4.0_arm64.tar.gz", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("not-a-key.pem: not a PEM private key"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ + "/srv/manifests"));
}

}  // namespace
}  // namespace iw::update
