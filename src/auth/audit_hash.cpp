#include "auth/audit_hash.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>

namespace pingan::auth {
namespace {

struct FreeContext {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Fetched once per process and kept: a fetch looks the algorithm up in the
// provider store, which costs more than hashing one entry.
const EVP_MD* fetched(AuditAlg alg) {
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  return alg == AuditAlg::kSm3 ? sm3 : sha256;
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void put_text(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}

}  // namespace

const char* audit_alg_name(AuditAlg alg) { return alg == AuditAlg::kSm3 ? "sm3" : "sha256"; }

Result<AuditAlg> parse_audit_alg(std::string_view name) {
  if (name == "sha256") return AuditAlg::kSha256;
  if (name == "sm3") return AuditAlg::kSm3;
  return Error::invalid("alg", fmt::format("unknown audit hash algorithm '{}' (sha256 or sm3)", name));
}

Result<std::string> digest_hex(AuditAlg alg, std::string_view data) {
  const EVP_MD* md = fetched(alg);
  if (!md) return Error::unavailable(fmt::format("OpenSSL offers no {} digest", audit_alg_name(alg)));
  std::unique_ptr<EVP_MD_CTX, FreeContext> ctx(EVP_MD_CTX_new());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1)
    return Error::internal(fmt::format("OpenSSL failed computing a {} digest", audit_alg_name(alg)));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

std::string audit_hash_input(const AuditEntry& e) {
  std::string out;
  put_text(out, e.alg);
  put_u64(out, 8);
  put_u64(out, static_cast<std::uint64_t>(e.seq));
  put_u64(out, 8);
  put_u64(out, static_cast<std::uint64_t>(e.at));
  for (const std::string* field : {&e.user, &e.unit_code, &e.address, &e.action, &e.target, &e.outcome, &e.reason,
                                   &e.prev_hash})
    put_text(out, *field);
  return out;
}

Result<std::string> audit_entry_hash(const AuditEntry& entry) {
  PINGAN_ASSIGN_OR_RETURN(AuditAlg alg, parse_audit_alg(entry.alg));
  return digest_hex(alg, audit_hash_input(entry));
}

}  // namespace pingan::auth
