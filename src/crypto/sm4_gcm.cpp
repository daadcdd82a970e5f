#include "crypto/sm4_gcm.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "crypto/sm4_block.h"

namespace pingan::crypto {
namespace {

// A 128-bit block as GCM reads it: big-endian, bit 0 the top bit of byte 0.
struct Block128 {
  std::uint64_t hi = 0, lo = 0;

  static Block128 load(const unsigned char* p) {
    Block128 b;
    for (int i = 0; i < 8; ++i) b.hi = b.hi << 8 | p[i];
    for (int i = 8; i < 16; ++i) b.lo = b.lo << 8 | p[i];
    return b;
  }
  void store(unsigned char* p) const {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    for (int i = 0; i < 8; ++i) p[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  }
  Block128& operator^=(const Block128& o) {
    hi ^= o.hi;
    lo ^= o.lo;
    return *this;
  }
};

// X · Y in GF(2^128) with GCM's polynomial x^128 + x^7 + x^2 + x + 1 and
// its reflected bit order (SP 800-38D, Algorithm 1). Bit by bit and free of
// branches on secret bits: the fields sealed are a few blocks long.
Block128 gf_multiply(const Block128& x, const Block128& y) {
  Block128 z, v = y;
  for (int i = 0; i < 128; ++i) {
    std::uint64_t word = i < 64 ? x.hi : x.lo;
    std::uint64_t bit = (word >> (63 - (i & 63))) & 1;
    std::uint64_t take = 0 - bit;
    z.hi ^= v.hi & take;
    z.lo ^= v.lo & take;
    std::uint64_t carry = 0 - (v.lo & 1);
    v.lo = v.lo >> 1 | v.hi << 63;
    v.hi = (v.hi >> 1) ^ (0xE100000000000000ULL & carry);
  }
  return z;
}

// GHASH_H over `data` zero-padded to whole blocks, continuing from `y`.
void ghash_update(Block128& y, const Block128& h, std::string_view data) {
  unsigned char block[16];
  for (size_t at = 0; at < data.size(); at += 16) {
    size_t n = std::min<size_t>(16, data.size() - at);
    std::memset(block, 0, sizeof block);
    std::memcpy(block, data.data() + at, n);
    y ^= Block128::load(block);
    y = gf_multiply(y, h);
  }
}

// GCTR_K(icb, in): `in` XORed with E(K, icb), E(K, inc32(icb)), ...; only
// the low 32 bits of the counter block count (inc32), as GCM requires.
Status gctr(Sm4Blocks& sm4, const unsigned char icb[16], std::string_view in, std::string& out) {
  size_t blocks = (in.size() + 15) / 16;
  out.resize(in.size());
  if (blocks == 0) return {};
  std::vector<unsigned char> stream(blocks * 16);
  std::uint32_t counter = std::uint32_t(icb[12]) << 24 | std::uint32_t(icb[13]) << 16 |
                          std::uint32_t(icb[14]) << 8 | icb[15];
  for (size_t b = 0; b < blocks; ++b, ++counter) {
    unsigned char* cb = stream.data() + b * 16;
    std::memcpy(cb, icb, 12);
    cb[12] = static_cast<unsigned char>(counter >> 24);
    cb[13] = static_cast<unsigned char>(counter >> 16);
    cb[14] = static_cast<unsigned char>(counter >> 8);
    cb[15] = static_cast<unsigned char>(counter);
  }
  PINGAN_RETURN_IF_ERROR(sm4.encrypt(stream.data(), stream.data(), blocks));
  for (size_t i = 0; i < in.size(); ++i) out[i] = static_cast<char>(in[i] ^ stream[i]);
  OPENSSL_cleanse(stream.data(), stream.size());
  return {};
}

// What both directions share: the hash subkey H = E(K, 0^128) and J0.
struct GcmSetup {
  Sm4Blocks sm4;
  Block128 h;
  unsigned char j0[16];
};

Result<GcmSetup> set_up(std::string_view key, std::string_view iv) {
  if (iv.size() != kGcmIvBytes)
    return Error::invalid("iv", fmt::format("an SM4-GCM IV is {} bytes here, not {}", kGcmIvBytes, iv.size()));
  PINGAN_ASSIGN_OR_RETURN(Sm4Blocks sm4, Sm4Blocks::with_key(key));
  unsigned char zero[16] = {};
  unsigned char h[16];
  PINGAN_RETURN_IF_ERROR(sm4.encrypt(zero, h, 1));
  GcmSetup setup{std::move(sm4), Block128::load(h), {}};
  std::memcpy(setup.j0, iv.data(), 12);  // J0 = IV || 0^31 || 1 for a 96-bit IV
  setup.j0[15] = 1;
  return setup;
}

// The tag: E(K, J0) XOR GHASH_H(A, C, len(A) || len(C)).
Result<std::string> tag_of(GcmSetup& gcm, std::string_view aad, std::string_view ciphertext) {
  Block128 s;
  ghash_update(s, gcm.h, aad);
  ghash_update(s, gcm.h, ciphertext);
  Block128 lengths{std::uint64_t(aad.size()) * 8, std::uint64_t(ciphertext.size()) * 8};
  s ^= lengths;
  s = gf_multiply(s, gcm.h);
  unsigned char sb[16];
  s.store(sb);
  std::string tag;
  PINGAN_RETURN_IF_ERROR(gctr(gcm.sm4, gcm.j0, std::string_view(reinterpret_cast<char*>(sb), 16), tag));
  return tag;
}

void inc32(unsigned char block[16]) {
  for (int i = 15; i >= 12; --i)
    if (++block[i] != 0) break;
}

}  // namespace

Result<std::string> sm4_gcm_seal(std::string_view key, std::string_view iv, std::string_view aad,
                                 std::string_view plaintext) {
  PINGAN_ASSIGN_OR_RETURN(GcmSetup gcm, set_up(key, iv));
  unsigned char icb[16];
  std::memcpy(icb, gcm.j0, 16);
  inc32(icb);
  std::string out;
  PINGAN_RETURN_IF_ERROR(gctr(gcm.sm4, icb, plaintext, out));
  PINGAN_ASSIGN_OR_RETURN(std::string tag, tag_of(gcm, aad, out));
  return out + tag;
}

Result<std::string> sm4_gcm_open(std::string_view key, std::string_view iv, std::string_view aad,
                                 std::string_view sealed) {
  if (sealed.size() < kGcmTagBytes) return Error::invalid("token", "SM4-GCM ciphertext shorter than its tag");
  std::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagBytes);
  std::string_view tag = sealed.substr(sealed.size() - kGcmTagBytes);
  PINGAN_ASSIGN_OR_RETURN(GcmSetup gcm, set_up(key, iv));
  PINGAN_ASSIGN_OR_RETURN(std::string expected, tag_of(gcm, aad, ciphertext));
  // Checked before anything is decrypted, in constant time.
  if (CRYPTO_memcmp(expected.data(), tag.data(), kGcmTagBytes) != 0)
    return Error::invalid("token", "SM4-GCM tag does not match (changed, another key or another context)");
  unsigned char icb[16];
  std::memcpy(icb, gcm.j0, 16);
  inc32(icb);
  std::string out;
  PINGAN_RETURN_IF_ERROR(gctr(gcm.sm4, icb, ciphertext, out));
  return out;
}

}  // namespace pingan::crypto
