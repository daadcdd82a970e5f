#pragma once
// The second factor: TOTP (RFC 6238; HMAC-SHA1, 6 digits, 30 s steps, what
// every authenticator app shows) through liboath. A code is accepted within
// one step either side (clock drift), and only for a step newer than the
// last one used, so a code seen over a shoulder or in a log cannot be
// replayed.

#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace pingan::auth {

inline constexpr unsigned kTotpStepSeconds = 30;
inline constexpr unsigned kTotpDigits = 6;

// A new random secret, base32 (as authenticator apps take it).
std::string new_totp_secret();
// otpauth://totp/pingan:<username>?secret=...&issuer=pingan — a QR code of it enrols an app.
std::string totp_uri(const std::string& username, const std::string& secret_base32);
// The code for `at` (tests and the CLI's check).
Result<std::string> totp_code(const std::string& secret_base32, Timestamp at);
// The time step `code` belongs to, if it is valid at `at` (±1 step); an
// error when it is not (wrong code, malformed secret).
Result<std::int64_t> totp_step_of(const std::string& secret_base32, const std::string& code, Timestamp at);

}  // namespace pingan::auth
