#pragma once
// Where a command finds the personal-data key ring (issue 17): --key-file
// (mode 0600 or stricter), else the environment variable PINGAN_DATA_KEYS
// holding the same text, else none (personal data stays in plain text).
// Library code never reads the environment: this is the one place that does.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "core/status.h"
#include "crypto/reloadable_cipher.h"

namespace pingan::cli {

inline constexpr const char* kDataKeysVariable = "PINGAN_DATA_KEYS";

// Adds --key-file to `cmd`.
void add_key_file_option(CLI::App& cmd, std::string& key_file);

// The cipher of --key-file or PINGAN_DATA_KEYS; null when neither is given.
// Reloadable: `pingan serve` takes a rotated ring with reload_data_cipher().
Result<std::shared_ptr<crypto::ReloadableCipher>> load_data_cipher(const std::string& key_file);

// Reads the key ring again (on SIGHUP) and makes it current; refused, the
// old ring kept, when the file is unreadable, too open, malformed, or its
// hash key differs.
Status reload_data_cipher(crypto::ReloadableCipher& cipher, const std::string& key_file);

}  // namespace pingan::cli
