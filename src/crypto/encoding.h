#pragma once
// Text forms of binary values: base64 (standard alphabet, padded) for keys
// and tokens, lower-case hex for keyed hashes and test vectors.

#include <optional>
#include <string>
#include <string_view>

namespace pingan::crypto {

std::string to_base64(std::string_view bytes);
// nullopt when `text` is not padded standard base64.
std::optional<std::string> from_base64(std::string_view text);

std::string to_hex(std::string_view bytes);
// nullopt on an odd length or a character that is not a hex digit.
std::optional<std::string> from_hex(std::string_view text);

}  // namespace pingan::crypto
