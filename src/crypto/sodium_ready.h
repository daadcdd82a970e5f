#pragma once
// libsodium must be initialised once before its random numbers or ciphers
// are used; every crypto/ entry point that uses it calls this first.
// Internal to crypto/.

namespace pingan::crypto {

// Thread-safe and cheap after the first call; false if libsodium cannot
// start (no usable random source), which callers report as an error.
bool sodium_ready();

}  // namespace pingan::crypto
