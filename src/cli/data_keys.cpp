#include "cli/data_keys.h"

#include <cstdlib>

#include "crypto/key_file.h"

namespace pingan::cli {
namespace {

// nullopt: no key ring configured.
Result<std::optional<crypto::KeyRing>> read_ring(const std::string& key_file) {
  if (!key_file.empty()) {
    PINGAN_ASSIGN_OR_RETURN(crypto::KeyRing ring, crypto::load_key_file(key_file));
    return std::optional<crypto::KeyRing>(std::move(ring));
  }
  if (const char* text = std::getenv(kDataKeysVariable); text && *text) {
    PINGAN_ASSIGN_OR_RETURN(crypto::KeyRing ring, crypto::KeyRing::parse(text, kDataKeysVariable));
    return std::optional<crypto::KeyRing>(std::move(ring));
  }
  return std::optional<crypto::KeyRing>();
}

}  // namespace

void add_key_file_option(CLI::App& cmd, std::string& key_file) {
  cmd.add_option("--key-file", key_file,
                 "personal-data key file, mode 0600 (default: $PINGAN_DATA_KEYS; neither: stored in plain text)");
}

Result<std::shared_ptr<crypto::ReloadableCipher>> load_data_cipher(const std::string& key_file) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<crypto::KeyRing> ring, read_ring(key_file));
  if (!ring) return std::shared_ptr<crypto::ReloadableCipher>();
  PINGAN_ASSIGN_OR_RETURN(auto cipher, crypto::make_field_cipher(std::move(*ring)));
  return std::make_shared<crypto::ReloadableCipher>(std::move(cipher));
}

Status reload_data_cipher(crypto::ReloadableCipher& cipher, const std::string& key_file) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<crypto::KeyRing> ring, read_ring(key_file));
  if (!ring) return Error::invalid("keys", "no key ring to reload (--key-file or PINGAN_DATA_KEYS)");
  PINGAN_ASSIGN_OR_RETURN(auto next, crypto::make_field_cipher(std::move(*ring)));
  return cipher.replace(std::move(next));
}

}  // namespace pingan::cli
