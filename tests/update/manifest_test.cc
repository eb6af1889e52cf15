#include "update/manifest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "update/digest.h"

namespace iw::update {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1796600000;  // 2026-12-06

SigningKey new_key() {
  auto k = SigningKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k.value());
}

Manifest sample() {
  Manifest m;
  m.version = parse_version("1.4.0").value();
  m.min_version = parse_version("1.0.0").value();
  m.update_class = UpdateClass::kMinor;
  m.published = kNow - 3600;
  m.expires = kNow + 30 * 86400;
  m.bundles.push_back({"arm64", "bundles/1.4.0/iotawatt_1.4.0_arm64.tar.gz", 12345, sha256_hex("arm64")});
  m.bundles.push_back({"armhf", "bundles/1.4.0/iotawatt_1.4.0_armhf.tar.gz", 12000, sha256_hex("armhf")});
  return m;
}

class ManifestTest : public ::testing::Test {
 protected:
  // The manifest file of a body, signed by key_.
  std::string signed_file(const std::string& body) { return sign_manifest(body, {&key_}); }
  Result<Manifest> open(const std::string& file, int64_t now = kNow) {
    return open_manifest(file, {other_.public_hex(), key_.public_hex()}, now);
  }
  // The error of opening `body` (a JSON value) signed by key_.
  std::string body_error(const json& body) {
    auto r = open(signed_file(body.dump()));
    return r.ok() ? "opened" : r.error();
  }
  SigningKey key_ = new_key(), other_ = new_key();
};

TEST_F(ManifestTest, ASignedManifestOpensWithEveryField) {
  Manifest m = sample();
  m.keys = {other_.public_hex()};
  auto r = open(signed_file(manifest_body(m)));
  ASSERT_TRUE(r.ok()) << r.error();
  const Manifest& o = r.value();
  EXPECT_EQ(o.version, m.version);
  EXPECT_EQ(o.min_version, m.min_version);
  EXPECT_EQ(o.update_class, UpdateClass::kMinor);
  EXPECT_EQ(o.published, m.published);
  EXPECT_EQ(o.expires, m.expires);
  EXPECT_EQ(o.keys, m.keys);
  ASSERT_NE(o.bundle_for("armhf"), nullptr);
  EXPECT_EQ(o.bundle_for("armhf")->path, "bundles/1.4.0/iotawatt_1.4.0_armhf.tar.gz");
  EXPECT_EQ(o.bundle_for("armhf")->size, 12000u);
  EXPECT_EQ(o.bundle_for("armhf")->sha256, sha256_hex("armhf"));
  EXPECT_EQ(o.bundle_for("amd64"), nullptr);
}

TEST_F(ManifestTest, AnAlteredBodyDoesNotVerify) {
  json file = json::parse(signed_file(manifest_body(sample())));
  std::string body = file["signed"];
  body.replace(body.find("12345"), 5, "12346");
  file["signed"] = body;
  auto r = open(file.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("does not verify: the manifest was altered"), std::string::npos) << r.error();
}

TEST_F(ManifestTest, AManifestSignedByAnUnknownKeyIsRefused) {
  const SigningKey stranger = new_key();
  auto r = open(sign_manifest(manifest_body(sample()), {&stranger}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("signed only by key " + stranger.public_hex().substr(0, 8)), std::string::npos);
  EXPECT_NE(r.error().find("does not trust"), std::string::npos);
}

TEST_F(ManifestTest, KeyRotationSignedByTheOldAndTheNewKeyOpensForEither) {
  const SigningKey next = new_key();
  const std::string file = sign_manifest(manifest_body(sample()), {&key_, &next});
  EXPECT_TRUE(open_manifest(file, {key_.public_hex()}, kNow).ok());
  EXPECT_TRUE(open_manifest(file, {next.public_hex()}, kNow).ok());
  EXPECT_FALSE(open_manifest(file, {other_.public_hex()}, kNow).ok());
}

TEST_F(ManifestTest, AnExpiredManifestIsRefusedSayingWhen) {
  const std::string file = signed_file(manifest_body(sample()));
  EXPECT_TRUE(open(file, sample().expires).ok());
  auto r = open(file, sample().expires + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("manifest of 1.4.0 expired at 2027-01-05T"), std::string::npos) << r.error();
}

TEST_F(ManifestTest, EachBadFieldIsNamed) {
  const json good = json::parse(manifest_body(sample()));
  auto with = [&](const std::string& pointer, const json& value) {
    json b = good;
    b[json::json_pointer(pointer)] = value;
    return b;
  };
  auto without = [&](const std::string& key) {
    json b = good;
    b.erase(key);
    return b;
  };
  EXPECT_EQ(body_error(good), "opened");
  EXPECT_NE(body_error(without("version")).find("manifest.version: missing"), std::string::npos);
  EXPECT_NE(body_error(with("/version", "1.4")).find("manifest.version: version '1.4'"), std::string::npos);
  EXPECT_NE(body_error(with("/min_version", 3)).find("manifest.min_version"), std::string::npos);
  EXPECT_NE(body_error(with("/class", "NONE")).find("manifest.class: 'NONE'"), std::string::npos);
  EXPECT_NE(body_error(with("/expires", good["published"])).find("manifest.expires"), std::string::npos);
  EXPECT_NE(body_error(with("/published", -5)).find("manifest.published"), std::string::npos);
  EXPECT_NE(body_error(with("/bundles", json::object())).find("manifest.bundles: missing"), std::string::npos);
  EXPECT_NE(body_error(with("/bundles/arm64/sha256", "ABC")).find("manifest.bundles.arm64.sha256"), std::string::npos);
  EXPECT_NE(body_error(with("/bundles/arm64/size", 0)).find("manifest.bundles.arm64.size"), std::string::npos);
  EXPECT_NE(body_error(with("/bundles/arm64/size", 2e9)).find("manifest.bundles.arm64.size"), std::string::npos);
  EXPECT_NE(body_error(with("/keys", json::array({"00"}))).find("manifest.keys"), std::string::npos);
  for (const char* path : {"../etc/passwd", "/etc/passwd", "bundles//x", "bundles/./x", "a b", "bundles/x/", ""}) {
    EXPECT_NE(body_error(with("/bundles/arm64/path", path)).find("manifest.bundles.arm64.path"), std::string::npos)
        << path;
  }
  json many = good;
  for (int i = 0; i < 8; ++i) many["bundles"]["arch" + std::to_string(i)] = good["bundles"]["arm64"];
  EXPECT_NE(body_error(many).find("more than 8 architectures"), std::string::npos);
  json shouty = good;
  shouty["bundles"]["ARM64"] = good["bundles"]["arm64"];
  EXPECT_NE(body_error(shouty).find("manifest.bundles.ARM64: not an architecture name"), std::string::npos);
}

TEST_F(ManifestTest, TheFileItselfIsCheckedBeforeAnySignature) {
  EXPECT_NE(open("").error().find("manifest file is not JSON"), std::string::npos);
  EXPECT_NE(open("[]").error().find("manifest file is not a JSON object"), std::string::npos);
  EXPECT_NE(open(std::string(kMaxManifestBytes + 1, ' ')).error().find("more than the 64 KiB"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{\"a\":";
  EXPECT_NE(open(deep).error().find("nesting deeper than 4"), std::string::npos) << open(deep).error();
  json file = json::parse(signed_file(manifest_body(sample())));
  file["format"] = 2;
  EXPECT_NE(open(file.dump()).error().find("'format' is not 1"), std::string::npos);
  file["format"] = 1;
  file["signatures"] = json::array();
  EXPECT_NE(open(file.dump()).error().find("'signatures' is not a list of 1 to 8"), std::string::npos);
  file.erase("signatures");
  EXPECT_NE(open(file.dump()).error().find("'signatures'"), std::string::npos);
}

TEST(UpdateClass, ReadsTheOriginalsClassNamesInAnyCase) {
  EXPECT_EQ(parse_update_class("MINOR").value(), UpdateClass::kMinor);
  EXPECT_EQ(parse_update_class("alpha").value(), UpdateClass::kAlpha);
  EXPECT_EQ(parse_update_class("None").value(), UpdateClass::kNone);
  EXPECT_EQ(to_string(UpdateClass::kBeta), "BETA");
  auto r = parse_update_class("TEST");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "update class 'TEST' is not one of NONE, MAJOR, MINOR, BETA, ALPHA");
}

}  // namespace
}  // namespace iw::update
