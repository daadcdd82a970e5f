#include "crypto/sm4_block.h"

#include <fmt/format.h>

#include <climits>

#include "crypto/sm4_gcm.h"

namespace pingan::crypto {

Result<Sm4Blocks> Sm4Blocks::with_key(std::string_view key) {
  if (key.size() != kSm4KeyBytes)
    return Error::invalid("key", fmt::format("an SM4 key is {} bytes, not {}", kSm4KeyBytes, key.size()));
  // Fetched once for the process (a provider look-up under a lock costs
  // more than the block cipher itself); shared, read-only, by every thread.
  static EVP_CIPHER* const sm4 = EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr);
  Sm4Blocks blocks;
  blocks.ctx_.reset(EVP_CIPHER_CTX_new());
  if (!blocks.ctx_ || !sm4) return Error::internal("OpenSSL has no SM4-ECB cipher");
  if (EVP_EncryptInit_ex2(blocks.ctx_.get(), sm4, reinterpret_cast<const unsigned char*>(key.data()), nullptr,
                          nullptr) != 1)
    return Error::internal("OpenSSL refused the SM4 key");
  EVP_CIPHER_CTX_set_padding(blocks.ctx_.get(), 0);
  return blocks;
}

Status Sm4Blocks::encrypt(const unsigned char* in, unsigned char* out, std::size_t count) {
  if (count * 16 > std::size_t(INT_MAX)) return Error::invalid("plaintext", "too long for one SM4 call");
  int written = 0;
  if (EVP_EncryptUpdate(ctx_.get(), out, &written, in, int(count * 16)) != 1 || written != int(count * 16))
    return Error::internal("SM4 block encryption failed");
  return {};
}

Result<std::string> sm4_encrypt_block(std::string_view key, std::string_view block) {
  if (block.size() != 16) return Error::invalid("block", "an SM4 block is 16 bytes");
  PINGAN_ASSIGN_OR_RETURN(Sm4Blocks sm4, Sm4Blocks::with_key(key));
  std::string out(16, '\0');
  PINGAN_RETURN_IF_ERROR(sm4.encrypt(reinterpret_cast<const unsigned char*>(block.data()),
                                     reinterpret_cast<unsigned char*>(out.data()), 1));
  return out;
}

}  // namespace pingan::crypto
