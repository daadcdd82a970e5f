#pragma once
// SM4 in ECB mode over whole 16-byte blocks through OpenSSL's EVP "SM4-ECB":
// the block cipher under sm4_gcm.cpp. Internal to crypto/.

#include <openssl/evp.h>

#include <memory>
#include <string_view>

#include "core/status.h"

namespace pingan::crypto {

class Sm4Blocks {
 public:
  static Result<Sm4Blocks> with_key(std::string_view key);
  // Encrypts `count` blocks of `in` into `out` (may be the same buffer).
  Status encrypt(const unsigned char* in, unsigned char* out, std::size_t count);

 private:
  struct FreeContext {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };
  std::unique_ptr<EVP_CIPHER_CTX, FreeContext> ctx_;
};

}  // namespace pingan::crypto
