#include "crypto/reloadable_cipher.h"

namespace pingan::crypto {

Status ReloadableCipher::replace(std::shared_ptr<const FieldCipher> next) {
  if (!next) return Error::invalid("keys", "no key ring given");
  auto now = current();
  constexpr std::string_view kProbe = "pingan hash key check";
  PINGAN_ASSIGN_OR_RETURN(std::string before, now->keyed_hash(kProbe, ""));
  PINGAN_ASSIGN_OR_RETURN(std::string after, next->keyed_hash(kProbe, ""));
  if (before != after)
    return Error::invalid("keys", "the new key ring's hash key or cipher differs from the running one; "
                                  "look-ups would stop matching (the hash key never rotates)");
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
  return {};
}

std::shared_ptr<const FieldCipher> ReloadableCipher::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Result<std::string> ReloadableCipher::seal(std::string_view plaintext, std::string_view context) const {
  return current()->seal(plaintext, context);
}

Result<std::string> ReloadableCipher::open(std::string_view token, std::string_view context) const {
  return current()->open(token, context);
}

Result<std::string> ReloadableCipher::keyed_hash(std::string_view kind, std::string_view normalised) const {
  return current()->keyed_hash(kind, normalised);
}

std::string ReloadableCipher::active_key_id() const { return current()->active_key_id(); }

}  // namespace pingan::crypto
