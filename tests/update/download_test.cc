// A device's side against a real HTTPS update server on loopback (a throwaway CA): the
// manifest fetched and opened, the offer decided, the bundle downloaded, resumed and checked.
#include "update/download.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/files.h"
#include "update/digest.h"
#include "update/offer.h"
#include "update/update_server.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;

// A deterministic bundle that no prefix of itself equals.
std::string bundle_bytes(size_t n, char salt = 0) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 251 + static_cast<size_t>(salt)) & 0xff);
  return s;
}

class Download : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = iw::testing::temp_path("update");
    fs::create_directories(dir_);
    server_ = std::make_unique<iw::testing::UpdateServer>(dir_ + "/server");
    ASSERT_TRUE(server_->ok());
    bytes_ = bundle_bytes(300000);
    server_->put("bundles/1.5.0/iotawatt_1.5.0_arm64.tar.gz", bytes_);
    bundle_ = {"arm64", "bundles/1.5.0/iotawatt_1.5.0_arm64.tar.gz", bytes_.size(), sha256_hex(bytes_)};
    options_.fetch.cafile = server_->cafile();
    options_.fetch.connect_timeout_ms = 5000;
  }
  Result<std::string> download() {
    return download_bundle(server_->base_url(), bundle_, dir_ + "/downloads", options_);
  }
  std::string downloaded() { return read_file(dir_ + "/downloads/iotawatt_1.5.0_arm64.tar.gz", 1 << 20).value(); }
  bool part_exists() { return fs::exists(dir_ + "/downloads/iotawatt_1.5.0_arm64.tar.gz.part"); }

  std::string dir_;
  std::unique_ptr<iw::testing::UpdateServer> server_;
  std::string bytes_;
  Bundle bundle_;
  DownloadOptions options_;
};

TEST_F(Download, AManifestFetchedOpenedAndItsBundleDownloaded) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Manifest m;
  m.version = parse_version("1.5.0").value();
  m.min_version = parse_version("1.0.0").value();
  m.published = std::time(nullptr) - 60;
  m.expires = m.published + 86400;
  m.bundles = {bundle_};
  server_->put("manifests/MINOR.json", sign_manifest(manifest_body(m), {&key.value()}));

  auto text = fetch_text(server_->base_url() + "/manifests/MINOR.json", kMaxManifestBytes, options_.fetch);
  ASSERT_TRUE(text.ok()) << text.error();
  auto opened = open_manifest(text.value(), {key.value().public_hex()}, std::time(nullptr));
  ASSERT_TRUE(opened.ok()) << opened.error();
  const Offer offer = decide_offer(opened.value(), {parse_version("1.4.2").value(), "arm64", {}, false});
  ASSERT_EQ(offer.kind, Offer::Kind::kInstall) << offer.reason;
  std::vector<uint64_t> progress;
  options_.progress = [&](uint64_t have, uint64_t total) {
    EXPECT_EQ(total, bytes_.size());
    progress.push_back(have);
  };
  auto path = download_bundle(server_->base_url(), *offer.bundle, dir_ + "/downloads", options_);
  ASSERT_TRUE(path.ok()) << path.error();
  EXPECT_EQ(downloaded(), bytes_);
  EXPECT_EQ(progress, std::vector<uint64_t>{bytes_.size()});
  EXPECT_FALSE(part_exists());

  // Already there and whole: not fetched again.
  const int requests = server_->requests();
  ASSERT_TRUE(download().ok());
  EXPECT_EQ(server_->requests(), requests);
}

TEST_F(Download, ACutConnectionIsResumedWithARangeRequest) {
  server_->cut_next_at(120000);
  auto path = download();
  ASSERT_TRUE(path.ok()) << path.error();
  EXPECT_EQ(downloaded(), bytes_);
  EXPECT_EQ(server_->requests(), 2);
  EXPECT_EQ(server_->last_range(), "bytes=120000-");
}

TEST_F(Download, ADownloadCutAndGivenUpResumesNextTime) {
  options_.attempts = 1;
  server_->cut_next_at(100000);
  auto first = download();
  ASSERT_FALSE(first.ok());
  EXPECT_TRUE(first.status().is_unavailable());
  EXPECT_NE(first.error().find("100000 of 300000 bytes after 1 tries"), std::string::npos) << first.error();
  EXPECT_NE(first.error().find("resumes next time"), std::string::npos);
  EXPECT_TRUE(part_exists());
  EXPECT_FALSE(fs::exists(dir_ + "/downloads/iotawatt_1.5.0_arm64.tar.gz"));

  auto second = download();  // a restarted daemon: the part file is all it has
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(downloaded(), bytes_);
  EXPECT_EQ(server_->last_range(), "bytes=100000-");
}

TEST_F(Download, AServerThatIgnoresRangeStillGivesTheRightFile) {
  server_->cut_next_at(50000);
  server_->ignore_range(true);
  auto path = download();
  ASSERT_TRUE(path.ok()) << path.error();
  EXPECT_EQ(downloaded(), bytes_);
}

TEST_F(Download, ATamperedBundleIsDeletedNotKept) {
  server_->put(bundle_.path, bundle_bytes(bytes_.size(), 7));  // same size, other bytes
  auto path = download();
  ASSERT_FALSE(path.ok());
  EXPECT_TRUE(path.status().is_corruption());
  EXPECT_NE(path.error().find("not the 300000 bytes with " + bundle_.sha256.substr(0, 12)), std::string::npos)
      << path.error();
  EXPECT_NE(path.error().find("the server holds another file"), std::string::npos);
  EXPECT_FALSE(part_exists());
  EXPECT_FALSE(fs::exists(dir_ + "/downloads/iotawatt_1.5.0_arm64.tar.gz"));
}

TEST_F(Download, MoreBytesThanTheManifestSaysAreNotWritten) {
  server_->put(bundle_.path, bytes_ + std::string(5000, 'x'));
  auto path = download();
  ASSERT_FALSE(path.ok());
  EXPECT_NE(path.error().find("longer than 300000 bytes"), std::string::npos) << path.error();
  EXPECT_FALSE(part_exists());
}

TEST_F(Download, ABundleBeyondTheDevicesCapIsNotFetched) {
  options_.max_bytes = 1000;
  auto path = download();
  ASSERT_FALSE(path.ok());
  EXPECT_NE(path.error().find("more than the 1000 this device downloads"), std::string::npos) << path.error();
  EXPECT_EQ(server_->requests(), 0);
}

TEST_F(Download, FetchErrorsNameTheServerAndTheReason) {
  const std::string url = server_->base_url() + "/manifests/BETA.json";
  auto missing = fetch_text(url, kMaxManifestBytes, options_.fetch);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("127.0.0.1"), std::string::npos);
  EXPECT_NE(missing.error().find("HTTP 404"), std::string::npos) << missing.error();

  server_->put("manifests/BETA.json", std::string(5000, ' '));
  auto large = fetch_text(url, 4096, options_.fetch);
  ASSERT_FALSE(large.ok());
  EXPECT_NE(large.error().find("longer than 4096 bytes"), std::string::npos) << large.error();

  FetchOptions system_store;  // the throwaway CA is not in it
  auto untrusted = fetch_text(url, kMaxManifestBytes, system_store);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_TRUE(untrusted.status().is_unavailable());
  EXPECT_NE(untrusted.error().find("certificate"), std::string::npos) << untrusted.error();

  auto plain = fetch_text("http://127.0.0.1:1/manifests/BETA.json", kMaxManifestBytes, options_.fetch);
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().find("127.0.0.1:1/manifests/BETA.json"), std::string::npos) << plain.error();
}

}  // namespace
}  // namespace iw::update
