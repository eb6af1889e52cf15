#include "server/auth/password_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

class PasswordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "iw-auth-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << bytes;
  }
  std::string dir_;
};

TEST_F(PasswordStoreTest, NoFileMeansOpenWithDeviceNameAsRealm) {
  const auto c = PasswordStore(dir_).load("Panel1");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_FALSE(c->has_admin());
  EXPECT_EQ(c->realm, "Panel1");
}

TEST_F(PasswordStoreTest, RoundTripKeepsDigestsRealmAndFlag) {
  const Credentials saved = make_credentials("IotaWatt", "pw1", "pw2", true);
  PasswordStore store(dir_);
  ASSERT_TRUE(store.save(saved).ok());
  const auto c = store.load("RenamedLater");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->realm, "IotaWatt");  // the realm the digests were made with, not the new name
  EXPECT_EQ(c->admin_md5, saved.admin_md5);
  EXPECT_EQ(c->admin_sha256, saved.admin_sha256);
  EXPECT_EQ(c->user_md5, saved.user_md5);
  EXPECT_EQ(c->user_sha256, saved.user_sha256);
  EXPECT_TRUE(c->local_access);
  struct stat st {};
  ASSERT_EQ(::stat(store.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp"));
  std::ifstream in(store.path());
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text.find("pw1"), std::string::npos);
}

TEST_F(PasswordStoreTest, ReadsOriginalAuthTxt) {
  const std::string admin = digest_ha1(DigestAlgorithm::kMd5, "admin", "IotaWatt", "a");
  const std::string user = digest_ha1(DigestAlgorithm::kMd5, "user", "IotaWatt", "u");
  Write("auth.txt", admin + user + "\x01");
  auto c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->admin_md5, admin);
  EXPECT_EQ(c->user_md5, user);
  EXPECT_TRUE(c->admin_sha256.empty());
  EXPECT_TRUE(c->local_access);
  EXPECT_EQ(c->realm, "IotaWatt");

  Write("auth.txt", admin);
  c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_user());
  EXPECT_FALSE(c->local_access);
}

TEST_F(PasswordStoreTest, OursWinsOverLegacyEvenWithoutPasswords) {
  Write("auth.txt", digest_ha1(DigestAlgorithm::kMd5, "admin", "IotaWatt", "a"));
  PasswordStore store(dir_);
  ASSERT_TRUE(store.save(make_credentials("IotaWatt", "", "", false)).ok());
  const auto c = store.load("IotaWatt");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_admin());
}

TEST_F(PasswordStoreTest, CorruptFilesAreReportedNotOpened) {
  Write("auth.json", "{\"format\":\"iotawatt-auth\",\"version\":1,\"realm\":\"x\",\"admin\":{\"md5\":\"12\"}}");
  auto c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("auth.json"), std::string::npos);
  EXPECT_NE(c.error().find("md5"), std::string::npos);

  Write("auth.json", "{\"format\":");
  EXPECT_FALSE(PasswordStore(dir_).load("IotaWatt").ok());

  std::filesystem::remove(dir_ + "/auth.json");
  Write("auth.txt", "0123456789abcdef");
  c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("auth.txt"), std::string::npos);
}

// Deep, huge or unreadable: each is an error naming the file, never "no passwords".
TEST_F(PasswordStoreTest, HostileFilesAreRefusedNotOpened) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{\"a\":";
  Write("auth.json", deep);
  auto c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), dir_ + "/auth.json: larger than 65536 bytes");

  Write("auth.json", deep.substr(0, 5000));
  c = PasswordStore(dir_).load("IotaWatt");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), dir_ +
                           "/auth.json: not JSON: nesting deeper than 64 levels at byte 321 "
                           "(delete it to remove all passwords)");

  if (::geteuid() != 0) {  // root reads anything
    Write("auth.json", "{}");
    ::chmod((dir_ + "/auth.json").c_str(), 0);
    c = PasswordStore(dir_).load("IotaWatt");
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().find("cannot open"), std::string::npos) << c.error();
  }
}

TEST(PasswordStoreParse, JsonErrorsNameTheKey) {
  EXPECT_FALSE(parse_auth_json("[]").ok());
  EXPECT_FALSE(parse_auth_json("{\"format\":\"other\",\"version\":1,\"realm\":\"x\"}").ok());
  EXPECT_FALSE(parse_auth_json("{\"format\":\"iotawatt-auth\",\"version\":2,\"realm\":\"x\"}").ok());
  const auto bad_flag =
      parse_auth_json("{\"format\":\"iotawatt-auth\",\"version\":1,\"realm\":\"x\",\"localAccess\":1}");
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_NE(bad_flag.error().find("localAccess"), std::string::npos);
  EXPECT_FALSE(parse_auth_json("{\"format\":\"iotawatt-auth\",\"version\":1,\"realm\":\"x\",\"user\":{}}").ok());
}

TEST(PasswordStoreParse, LegacyVariants) {
  const std::string h(32, 'A');
  const auto c = parse_legacy_auth_txt(h + "\r\n", "R");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->admin_md5, std::string(32, 'a'));
  EXPECT_FALSE(parse_legacy_auth_txt("", "R").ok());
  EXPECT_FALSE(parse_legacy_auth_txt(std::string(32, 'x'), "R").ok());
  EXPECT_FALSE(parse_legacy_auth_txt(h + "\x02", "R").ok());
  EXPECT_FALSE(parse_legacy_auth_txt(h + h + h, "R").ok());
}

TEST(PasswordStoreParse, RenderParseRoundTrip) {
  const Credentials c = make_credentials("Dev", "a", "", false);
  const auto back = parse_auth_json(render_auth_json(c));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->admin_md5, c.admin_md5);
  EXPECT_FALSE(back->has_user());
}

}  // namespace
}  // namespace iw::server
