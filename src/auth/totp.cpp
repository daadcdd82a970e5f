#include "auth/totp.h"

#include <fmt/format.h>
#include <liboath/oath.h>

#include <cstdlib>
#include <memory>

#include "auth/secrets.h"

namespace pingan::auth {
namespace {

bool oath_ready() {
  static const bool ready = oath_init() == OATH_OK;
  return ready;
}

struct FreeChars {
  void operator()(char* p) const { std::free(p); }
};

Result<std::string> decode_secret(const std::string& base32) {
  if (!oath_ready()) return Error::internal("liboath could not be initialised");
  char* raw = nullptr;
  std::size_t length = 0;
  if (oath_base32_decode(base32.data(), base32.size(), &raw, &length) != OATH_OK || length == 0)
    return Error::invalid("totp_secret", "is not base32");
  std::unique_ptr<char, FreeChars> owned(raw);
  return std::string(raw, length);
}

}  // namespace

std::string new_totp_secret() {
  oath_ready();
  // 20 random bytes: 160 bits, RFC 4226's recommended secret length.
  const std::string bytes = random_bytes(20);
  char* out = nullptr;
  std::size_t length = 0;
  oath_base32_encode(bytes.data(), bytes.size(), &out, &length);
  std::unique_ptr<char, FreeChars> owned(out);
  return std::string(out, length);
}

std::string totp_uri(const std::string& username, const std::string& secret_base32) {
  return fmt::format("otpauth://totp/pingan:{}?secret={}&issuer=pingan&algorithm=SHA1&digits={}&period={}", username,
                     secret_base32, kTotpDigits, kTotpStepSeconds);
}

Result<std::string> totp_code(const std::string& secret_base32, Timestamp at) {
  PINGAN_ASSIGN_OR_RETURN(std::string secret, decode_secret(secret_base32));
  char code[kTotpDigits + 1] = {};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(at), kTotpStepSeconds, 0, kTotpDigits,
                         code) != OATH_OK)
    return Error::internal("liboath could not compute a TOTP code");
  return std::string(code);
}

Result<std::int64_t> totp_step_of(const std::string& secret_base32, const std::string& code, Timestamp at) {
  if (code.size() != kTotpDigits || code.find_first_not_of("0123456789") != std::string::npos)
    return Error::invalid("totp", fmt::format("must be the {} digits the authenticator app shows", kTotpDigits));
  PINGAN_ASSIGN_OR_RETURN(std::string secret, decode_secret(secret_base32));
  int position = 0;
  std::uint64_t counter = 0;
  const int rc = oath_totp_validate4(secret.data(), secret.size(), static_cast<time_t>(at), kTotpStepSeconds, 0,
                                     /*window=*/1, &position, &counter, 0, code.c_str());
  if (rc < 0) return Error::unauthenticated("the second-factor code is wrong or too old");
  return static_cast<std::int64_t>(counter);
}

}  // namespace pingan::auth
