// The crypto layer (issue 17): known-answer vectors of SM4 (GB/T 32907),
// SM3 (GB/T 32905) and SM4-GCM (RFC 8998 A.1); both field ciphers refusing
// tampered, misplaced and foreign tokens; key rings, key files and their
// modes; a key ring replaced while running.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <fstream>

#include "crypto/encoding.h"
#include "crypto/field_cipher.h"
#include "crypto/key_file.h"
#include "crypto/key_ring.h"
#include "crypto/reloadable_cipher.h"
#include "crypto/sm3.h"
#include "crypto/sm4_gcm.h"
#include "test_support.h"

namespace pingan::crypto {
namespace {

std::string hex(std::string_view text) { return *from_hex(text); }

TEST(CryptoVectors, Sm4BlockMatchesGbT32907Example1) {
  auto out = sm4_encrypt_block(hex("0123456789abcdeffedcba9876543210"), hex("0123456789abcdeffedcba9876543210"));
  ASSERT_TRUE(out.ok()) << out.error().describe();
  EXPECT_EQ(to_hex(*out), "681edf34d206965e86b3e94f536e4246");
}

TEST(CryptoVectors, Sm3OfAbcMatchesGbT32905) {
  auto out = sm3_digest("abc");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(to_hex(*out), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

// HMAC-SM3 against RFC 2104's definition computed with SM3 by hand.
TEST(CryptoVectors, HmacSm3IsRfc2104OverSm3) {
  std::string key = "pingan hmac key";
  std::string message = "phone\0" "13812345678";
  std::string k = key + std::string(64 - key.size(), '\0');
  std::string ipad = k, opad = k;
  for (auto& c : ipad) c ^= 0x36;
  for (auto& c : opad) c ^= 0x5c;
  auto inner = sm3_digest(ipad + message);
  ASSERT_TRUE(inner.ok());
  auto expected = sm3_digest(opad + *inner);
  auto got = hmac_sm3(key, message);
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(to_hex(*got), to_hex(*expected));
}

const std::string kRfcKey = "0123456789ABCDEFFEDCBA9876543210";
const std::string kRfcIv = "00001234567800000000ABCD";
const std::string kRfcAad = "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2";
const std::string kRfcPlain =
    "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
    "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA";
const std::string kRfcCipher =
    "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
    "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d";
const std::string kRfcTag = "83de3541e4c2b58177e065a9bf7b62ec";

TEST(CryptoVectors, Sm4GcmMatchesRfc8998AppendixA1) {
  auto sealed = sm4_gcm_seal(hex(kRfcKey), hex(kRfcIv), hex(kRfcAad), hex(kRfcPlain));
  ASSERT_TRUE(sealed.ok()) << sealed.error().describe();
  EXPECT_EQ(to_hex(*sealed), kRfcCipher + kRfcTag);
  auto opened = sm4_gcm_open(hex(kRfcKey), hex(kRfcIv), hex(kRfcAad), hex(kRfcCipher + kRfcTag));
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_EQ(to_hex(*opened), to_hex(hex(kRfcPlain)));
}

TEST(CryptoVectors, Sm4GcmRefusesEveryChangedByteAndOtherAad) {
  std::string sealed = hex(kRfcCipher + kRfcTag);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string changed = sealed;
    changed[i] ^= 0x01;
    EXPECT_FALSE(sm4_gcm_open(hex(kRfcKey), hex(kRfcIv), hex(kRfcAad), changed).ok()) << "byte " << i;
  }
  EXPECT_FALSE(sm4_gcm_open(hex(kRfcKey), hex(kRfcIv), hex(kRfcAad) + "x", sealed).ok());
  EXPECT_FALSE(sm4_gcm_open(hex(kRfcKey), hex("00001234567800000000ABCE"), hex(kRfcAad), sealed).ok());
  EXPECT_FALSE(sm4_gcm_open(hex("0123456789ABCDEFFEDCBA9876543211"), hex(kRfcIv), hex(kRfcAad), sealed).ok());
  EXPECT_FALSE(sm4_gcm_open(hex(kRfcKey), hex(kRfcIv), hex(kRfcAad), sealed.substr(0, 15)).ok());
}

// GCTR over lengths that end mid-block, against OpenSSL's own SM4-CTR from
// the counter block J0 + 1 (equal while the low 32 bits do not wrap).
TEST(CryptoVectors, Sm4GcmCiphertextIsSm4CtrFromJ0PlusOne) {
  std::string key = hex(kRfcKey), iv = hex(kRfcIv);
  std::string icb = iv + std::string("\0\0\0\2", 4);
  EVP_CIPHER* ctr = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  ASSERT_NE(ctr, nullptr);
  for (size_t length : {0, 1, 15, 16, 17, 100}) {
    std::string plain(length, 'p');
    for (size_t i = 0; i < length; ++i) plain[i] = char(i * 7 + 3);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ASSERT_EQ(EVP_EncryptInit_ex2(ctx, ctr, reinterpret_cast<const unsigned char*>(key.data()),
                                  reinterpret_cast<const unsigned char*>(icb.data()), nullptr), 1);
    std::string expected(length + 16, '\0');
    int n = 0;
    ASSERT_EQ(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(expected.data()), &n,
                                reinterpret_cast<const unsigned char*>(plain.data()), int(length)), 1);
    EVP_CIPHER_CTX_free(ctx);
    expected.resize(size_t(n));
    auto sealed = sm4_gcm_seal(key, iv, "", plain);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(to_hex(sealed->substr(0, length)), to_hex(expected)) << length;
    auto opened = sm4_gcm_open(key, iv, "", *sealed);
    ASSERT_TRUE(opened.ok()) << length;
    EXPECT_EQ(*opened, plain);
  }
  EVP_CIPHER_free(ctr);
}

class FieldCipherTest : public ::testing::TestWithParam<CipherKind> {
 protected:
  std::shared_ptr<const FieldCipher> cipher_of(const KeyRing& ring) {
    auto c = make_field_cipher(ring);
    EXPECT_TRUE(c.ok()) << c.error().describe();
    return *c;
  }
  KeyRing ring_ = KeyRing::generate(GetParam());
};

TEST_P(FieldCipherTest, SealsToASelfDescribingTokenThatOpens) {
  auto cipher = cipher_of(ring_);
  for (const std::string& plain : std::vector<std::string>{"13812345678", "", "欧阳娜娜", std::string(300, 'a')}) {
    auto token = cipher->seal(plain, "incidents.reporter_phone");
    ASSERT_TRUE(token.ok()) << token.error().describe();
    std::string prefix = fmt::format("pe1:{}:k1:", cipher_token_id(GetParam()));
    EXPECT_EQ(token->substr(0, prefix.size()), prefix);
    EXPECT_EQ(token->find(plain.empty() ? "\x01" : plain), std::string::npos);
    auto opened = cipher->open(*token, "incidents.reporter_phone");
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    EXPECT_EQ(*opened, plain);
  }
  // A fresh nonce each time: equal values do not give equal tokens.
  EXPECT_NE(*cipher->seal("13812345678", "c"), *cipher->seal("13812345678", "c"));
}

TEST_P(FieldCipherTest, RefusesTamperingAnotherColumnAnotherKeyAndAForgedHeader) {
  auto cipher = cipher_of(ring_);
  std::string token = *cipher->seal("370102199001011231", "incidents.reporter_id_number");
  // Every character of the base64 body changed (to another base64 character).
  size_t body = token.rfind(':') + 1;
  for (size_t i = body; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    if (changed == token) continue;
    auto opened = cipher->open(changed, "incidents.reporter_id_number");
    EXPECT_FALSE(opened.ok()) << "changed character " << i << " opened as " << *opened;
  }
  auto moved = cipher->open(token, "incidents.reporter_phone");
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().field, "token");
  EXPECT_FALSE(cipher_of(KeyRing::generate(GetParam()))->open(token, "incidents.reporter_id_number").ok());
  // Another key of the same ring under the token's id: the header is bound too.
  KeyRing two = ring_;
  two.add_active_key();
  std::string relabelled = token;
  relabelled.replace(relabelled.find(":k1:"), 4, ":k2:");
  EXPECT_FALSE(cipher_of(two)->open(relabelled, "incidents.reporter_id_number").ok());
  EXPECT_FALSE(cipher->open("pe1:x", "c").ok());
  EXPECT_FALSE(cipher->open("13812345678", "c").ok());
  std::string other_cipher = token;
  other_cipher[4] = GetParam() == CipherKind::kSm4Gcm ? 'x' : 's';
  EXPECT_FALSE(cipher->open(other_cipher, "incidents.reporter_id_number").ok());
}

TEST_P(FieldCipherTest, RotatedRingSealsWithTheNewKeyAndOpensTheOld) {
  auto before = cipher_of(ring_);
  std::string old_token = *before->seal("张三", "incidents.reporter_name");
  KeyRing rotated = ring_;
  EXPECT_EQ(rotated.add_active_key(), "k2");
  auto after = cipher_of(rotated);
  EXPECT_EQ(after->active_key_id(), "k2");
  std::string new_token = *after->seal("张三", "incidents.reporter_name");
  EXPECT_NE(new_token.find(":k2:"), std::string::npos);
  EXPECT_EQ(*after->open(old_token, "incidents.reporter_name"), "张三");
  EXPECT_FALSE(before->open(new_token, "incidents.reporter_name").ok());
  // The hash key does not rotate.
  EXPECT_EQ(*before->keyed_hash("phone", "13812345678"), *after->keyed_hash("phone", "13812345678"));
}

TEST_P(FieldCipherTest, KeyedHashIsStablePerKeyAndKindAndSecretWithoutTheKey) {
  auto cipher = cipher_of(ring_);
  auto h = cipher->keyed_hash("phone", "13812345678");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->size(), 64u);
  EXPECT_EQ(*h, *cipher->keyed_hash("phone", "13812345678"));
  EXPECT_NE(*h, *cipher->keyed_hash("phone", "13812345679"));
  EXPECT_NE(*h, *cipher->keyed_hash("id_number", "13812345678"));
  EXPECT_NE(*h, *cipher_of(KeyRing::generate(GetParam()))->keyed_hash("phone", "13812345678"));
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, FieldCipherTest,
                         ::testing::Values(CipherKind::kXChaCha20Poly1305, CipherKind::kSm4Gcm),
                         [](const auto& info) {
                           return info.param == CipherKind::kSm4Gcm ? std::string("Sm4Gcm") : std::string("XChaCha");
                         });

// The hash of each cipher is the one its standard names: keyed BLAKE2b for
// XChaCha20-Poly1305, HMAC-SM3 for SM4-GCM.
TEST(CryptoKeyedHash, Sm4RingHashesWithHmacSm3) {
  KeyRing ring = KeyRing::generate(CipherKind::kSm4Gcm);
  auto cipher = make_field_cipher(ring);
  ASSERT_TRUE(cipher.ok());
  std::string message = std::string("phone") + '\0' + "13812345678";
  EXPECT_EQ(*(*cipher)->keyed_hash("phone", "13812345678"), to_hex(*hmac_sm3(ring.hash_key(), message)));
}

TEST(CryptoKeyRing, FormatsAndParsesBack) {
  KeyRing ring = KeyRing::generate(CipherKind::kSm4Gcm);
  ring.add_active_key();
  auto back = KeyRing::parse(ring.format(), "test");
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(back->cipher(), CipherKind::kSm4Gcm);
  EXPECT_EQ(back->active().id, "k2");
  ASSERT_EQ(back->keys().size(), 2u);
  EXPECT_EQ(back->keys()[0].secret, ring.keys()[0].secret);
  EXPECT_EQ(back->hash_key(), ring.hash_key());
  EXPECT_EQ(back->keys()[0].secret.size(), 16u);
}

TEST(CryptoKeyRing, RefusesMalformedRingsNamingTheLine) {
  std::string k16 = to_base64(std::string(16, 'k')), k32 = to_base64(std::string(32, 'h'));
  std::string hash = "hash sm4-gcm " + k32 + "\n";
  struct Case {
    std::string text, says;
  } cases[] = {
      {hash + "k1 sm4-gcm " + k16 + "\n", "no key is marked active"},
      {hash + "k1 sm4-gcm " + k16 + " active\nk2 sm4-gcm " + k16 + " active\n", "line 3: a second active key"},
      {hash + "k1 sm4-gcm " + k32 + " active\n", "line 2: a sm4-gcm key is 16 bytes, this one 32"},
      {hash + "k1 xchacha20poly1305 " + k32 + " active\n", "line 2: cipher xchacha20poly1305 differs"},
      {hash + "k1 sm4-gcm not*base64 active\n", "line 2: the key is not base64"},
      {hash + "k:1 sm4-gcm " + k16 + " active\n", "line 2: key id 'k:1'"},
      {"k1 sm4-gcm " + k16 + " active\n", "no hash key line"},
      {hash + "k1 aes " + k16 + " active\n", "unknown cipher 'aes'"},
  };
  for (const auto& c : cases) {
    auto ring = KeyRing::parse(c.text, "keys.txt");
    ASSERT_FALSE(ring.ok()) << c.says;
    EXPECT_NE(ring.error().message.find(c.says), std::string::npos) << ring.error().message;
    EXPECT_NE(ring.error().message.find("keys.txt"), std::string::npos);
    EXPECT_EQ(ring.error().message.find(k16), std::string::npos) << "an error repeats a key";
  }
}

TEST(CryptoKeyFile, WritesMode0600AndRefusesAFileOthersMayRead) {
  pingan::testing::TempDir dir;
  std::string path = dir.file("data.keys");
  KeyRing ring = KeyRing::generate(CipherKind::kXChaCha20Poly1305);
  ASSERT_TRUE(write_key_file(path, ring, /*create_only=*/true).ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = load_key_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->active().secret, ring.active().secret);
  EXPECT_FALSE(write_key_file(path, ring, /*create_only=*/true).ok()) << "replaced an existing key file";

  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  auto refused = load_key_file(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find(path), std::string::npos);
  EXPECT_NE(refused.error().message.find("0640"), std::string::npos) << refused.error().message;
  ASSERT_EQ(chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(load_key_file(path).ok());
  EXPECT_FALSE(load_key_file(dir.file("missing.keys")).ok());
}

TEST(CryptoReloadable, TakesARotatedRingButNotAnotherHashKey) {
  KeyRing ring = KeyRing::generate(CipherKind::kSm4Gcm);
  auto holder = std::make_shared<ReloadableCipher>(*make_field_cipher(ring));
  std::string old_token = *holder->seal("13812345678", "c");
  KeyRing rotated = ring;
  rotated.add_active_key();
  ASSERT_TRUE(holder->replace(*make_field_cipher(rotated)).ok());
  EXPECT_EQ(holder->active_key_id(), "k2");
  EXPECT_EQ(*holder->open(old_token, "c"), "13812345678");
  auto refused = holder->replace(*make_field_cipher(KeyRing::generate(CipherKind::kSm4Gcm)));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("hash key"), std::string::npos);
  EXPECT_EQ(holder->active_key_id(), "k2");
  EXPECT_EQ(*holder->open(old_token, "c"), "13812345678");
}

}  // namespace
}  // namespace pingan::crypto
