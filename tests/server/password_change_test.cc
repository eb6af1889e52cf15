#include "server/auth/password_change.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <vector>

#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

std::string Base64(const std::string& text) {
  std::vector<unsigned char> out(4 * ((text.size() + 2) / 3) + 1);
  const int n =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(n));
}

struct Saver {
  std::vector<Credentials> saved;
  bool fail = false;
  std::function<Status(const Credentials&)> fn() {
    return [this](const Credentials& c) {
      if (fail) return Status::IOError("disk full");
      saved.push_back(c);
      return Status::Ok();
    };
  }
};

const Credentials kCurrent = make_credentials("IotaWatt", "old-pass", "", false);

TEST(PasswordChange, SetsBothPasswordsAndFlag) {
  Saver s;
  const AuthReply r = change_passwords(
      Base64(R"({"oldadmin":"old-pass","newadmin":"new!A_1x","newuser":"viewer_1","localAccess":true})"), kCurrent,
      "Panel1", s.fn());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Passwords reset.");
  ASSERT_EQ(s.saved.size(), 1u);
  EXPECT_EQ(s.saved[0].realm, "Panel1");
  EXPECT_EQ(s.saved[0].admin_md5, digest_ha1(DigestAlgorithm::kMd5, "admin", "Panel1", "new!A_1x"));
  EXPECT_EQ(s.saved[0].user_sha256, digest_ha1(DigestAlgorithm::kSha256, "user", "Panel1", "viewer_1"));
  EXPECT_TRUE(s.saved[0].local_access);
}

TEST(PasswordChange, WrongOldPassword) {
  Saver s;
  const AuthReply r =
      change_passwords(Base64(R"({"oldadmin":"nope","newadmin":"long-enough"})"), kCurrent, "IotaWatt", s.fn());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Current admin password invalid.");
  EXPECT_TRUE(s.saved.empty());
  EXPECT_EQ(change_passwords(Base64(R"({"newadmin":"long-enough"})"), kCurrent, "IotaWatt", s.fn()).body,
            "Current admin password invalid.");
}

TEST(PasswordChange, NoNewAdminOnlyChecksTheOldPassword) {
  Saver s;
  const AuthReply r = change_passwords(Base64(R"({"oldadmin":"old-pass"})"), kCurrent, "IotaWatt", s.fn());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(s.saved.empty());
}

TEST(PasswordChange, NoCurrentPasswordNeedsNoOldOne) {
  Saver s;
  const AuthReply r = change_passwords(Base64(R"({"newadmin":"first-pw"})"),
                                       make_credentials("IotaWatt", "", "", false), "IotaWatt", s.fn());
  EXPECT_EQ(r.body, "Passwords reset.");
  ASSERT_EQ(s.saved.size(), 1u);
  EXPECT_TRUE(s.saved[0].has_admin());
  EXPECT_FALSE(s.saved[0].has_user());
  EXPECT_FALSE(s.saved[0].local_access);
}

TEST(PasswordChange, EmptyNewAdminRemovesPasswords) {
  Saver s;
  const AuthReply r =
      change_passwords(Base64(R"({"oldadmin":"old-pass","newadmin":"","newuser":""})"), kCurrent, "IotaWatt", s.fn());
  EXPECT_EQ(r.body, "Passwords reset.");
  ASSERT_EQ(s.saved.size(), 1u);
  EXPECT_FALSE(s.saved[0].has_admin());
}

TEST(PasswordChange, OldPasswordCheckedWithTheStoredRealm) {
  // Digests made before a rename still verify: the stored realm is used, not the new name.
  Saver s;
  const AuthReply r =
      change_passwords(Base64(R"({"oldadmin":"old-pass","newadmin":"new-pass"})"), kCurrent, "NewName", s.fn());
  EXPECT_EQ(r.body, "Passwords reset.");
  ASSERT_EQ(s.saved.size(), 1u);
  EXPECT_EQ(s.saved[0].realm, "NewName");
}

TEST(PasswordChange, ParseFailures) {
  Saver s;
  for (const std::string& body : {std::string("not base64 !!"), Base64("{oops"), Base64("[1,2]"), std::string("")}) {
    const AuthReply r = change_passwords(body, kCurrent, "IotaWatt", s.fn());
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.body, "Json parse failed.") << body;
  }
  EXPECT_TRUE(s.saved.empty());
}

TEST(PasswordChange, SaveFailure) {
  Saver s;
  s.fail = true;
  const AuthReply r =
      change_passwords(Base64(R"({"oldadmin":"old-pass","newadmin":"new-pass"})"), kCurrent, "IotaWatt", s.fn());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Error saving passwords.");
}

TEST(PasswordChange, InvalidPasswords) {
  Saver s;
  const std::string too_long = R"({"oldadmin":"old-pass","newadmin":")" + std::string(65, 'x') + R"("})";
  for (const std::string& json :
       {std::string(R"({"oldadmin":"old-pass","newadmin":"a\nb"})"),
        std::string(R"({"oldadmin":"old-pass","newadmin":5})"),
        std::string(R"({"oldadmin":"old-pass","newadmin":"ok-ok-ok","newuser":"tab\there"})"), too_long}) {
    const AuthReply r = change_passwords(Base64(json), kCurrent, "IotaWatt", s.fn());
    EXPECT_EQ(r.status, 400) << json;
    EXPECT_EQ(r.body, "Invalid password.") << json;
  }
  EXPECT_TRUE(s.saved.empty());
  // Longer than the UI's 16 characters and outside its alphabet, but printable: accepted.
  EXPECT_EQ(change_passwords(Base64(R"({"oldadmin":"old-pass","newadmin":"a long pass phrase: über"})"), kCurrent,
                             "IotaWatt", s.fn())
                .body,
            "Passwords reset.");
}

TEST(PasswordChange, NewPasswordsNeedEightCharacters) {
  Saver s;
  for (const std::string& json : {std::string(R"({"oldadmin":"old-pass","newadmin":"1234567"})"),
                                  std::string(R"({"oldadmin":"old-pass","newadmin":"12345678","newuser":"short"})"),
                                  std::string(R"({"oldadmin":"old-pass","newadmin":"über7ch"})")}) {
    const AuthReply r = change_passwords(Base64(json), kCurrent, "IotaWatt", s.fn());
    EXPECT_EQ(r.status, 400) << json;
    EXPECT_EQ(r.body, "Passwords need at least 8 characters.") << json;
  }
  EXPECT_TRUE(s.saved.empty());
  // Eight characters, one of them two bytes in UTF-8; and no user password at all.
  EXPECT_EQ(change_passwords(Base64(R"({"oldadmin":"old-pass","newadmin":"über78ch","newuser":""})"), kCurrent,
                             "IotaWatt", s.fn())
                .body,
            "Passwords reset.");
}

}  // namespace
}  // namespace iw::server
