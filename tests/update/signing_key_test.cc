#include "update/signing_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "update/digest.h"

namespace iw::update {
namespace {

SigningKey new_key() {
  auto k = SigningKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k.value());
}

// RFC 8032, section 7.1, TEST 1 (the empty message): OpenSSL's Ed25519 is the standard one.
TEST(SigningKey, VerifiesRfc8032TestVector) {
  const std::string pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  const std::string sig =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
      "24655141438e7a100b";
  EXPECT_TRUE(verify_signature(pub, "", sig));
  EXPECT_FALSE(verify_signature(pub, "x", sig));
}

TEST(SigningKey, SignsAndOnlyItsOwnSignatureOfTheSameMessageVerifies) {
  const SigningKey a = new_key(), b = new_key();
  const std::string sig = a.sign_hex("release 1.2.0");
  ASSERT_EQ(sig.size(), kSignatureHexChars);
  ASSERT_TRUE(is_public_key_hex(a.public_hex()));
  EXPECT_TRUE(verify_signature(a.public_hex(), "release 1.2.0", sig));
  EXPECT_FALSE(verify_signature(a.public_hex(), "release 1.2.1", sig));
  EXPECT_FALSE(verify_signature(b.public_hex(), "release 1.2.0", sig));
  std::string flipped = sig;
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  EXPECT_FALSE(verify_signature(a.public_hex(), "release 1.2.0", flipped));
}

TEST(SigningKey, MalformedKeysAndSignaturesNeverVerify) {
  const SigningKey a = new_key();
  const std::string sig = a.sign_hex("m");
  std::string upper_sig = sig;
  for (char& c : upper_sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(verify_signature(a.public_hex(), "m", upper_sig));
  EXPECT_FALSE(verify_signature(a.public_hex(), "m", sig.substr(2)));
  EXPECT_FALSE(verify_signature(a.public_hex().substr(2), "m", sig));
  EXPECT_FALSE(verify_signature(std::string(64, 'g'), "m", sig));
  EXPECT_FALSE(verify_signature("", "m", ""));
}

TEST(SigningKey, PemRoundTripKeepsTheKey) {
  const SigningKey a = new_key();
  auto back = SigningKey::FromPem(a.pem());
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value().public_hex(), a.public_hex());
  EXPECT_TRUE(verify_signature(a.public_hex(), "m", back.value().sign_hex("m")));
}

TEST(SigningKey, RefusesWhatIsNotAnEd25519PrivateKey) {
  EXPECT_FALSE(SigningKey::FromPem("").ok());
  EXPECT_NE(SigningKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .error()
                .find("not a PEM private key"),
            std::string::npos);
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(ec);
  auto r = SigningKey::FromPem(pem);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "the PEM key is not an Ed25519 key");
}

TEST(Digest, Sha256OfTextsAndFiles) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string path = ::testing::TempDir() + "digest-abc";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("abc", f);
    std::fclose(f);
  }
  auto d = sha256_file(path);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d.value().size, 3u);
  EXPECT_EQ(d.value().sha256, sha256_hex("abc"));
  auto missing = sha256_file(path + "-missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find(path + "-missing: cannot be opened"), std::string::npos) << missing.error();
}

}  // namespace
}  // namespace iw::update
