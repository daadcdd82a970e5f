#include "crypto/sm3.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace pingan::crypto {

Result<std::string> sm3_digest(std::string_view data) {
  static EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);  // once: see hmac_sm3
  if (!sm3) return Error::internal("OpenSSL has no SM3 digest");
  std::string out(32, '\0');
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &length, sm3, nullptr) != 1 ||
      length != 32)
    return Error::internal("SM3 digest failed");
  return out;
}

Result<std::string> hmac_sm3(std::string_view key, std::string_view data) {
  // Fetched once for the process: the provider look-up costs more than the
  // MAC of a phone number. Shared, read-only, by every thread.
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) return Error::internal("OpenSSL has no HMAC");
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac), EVP_MAC_CTX_free);
  char digest[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  std::string out(32, '\0');
  size_t length = 0;
  if (!ctx ||
      EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, out.size()) != 1 ||
      length != 32)
    return Error::internal("HMAC-SM3 failed");
  return out;
}

}  // namespace pingan::crypto
