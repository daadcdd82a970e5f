#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/field_cipher.h"

namespace pingan::crypto {

std::optional<TokenParts> parse_token(std::string_view text) {
  if (!is_sealed(text)) return std::nullopt;
  std::string_view rest = text.substr(kTokenPrefix.size());
  size_t colon = rest.find(':');
  if (colon != 1) return std::nullopt;
  TokenParts parts;
  parts.cipher = rest[0];
  rest.remove_prefix(2);
  colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  parts.key_id = std::string(rest.substr(0, colon));
  auto payload = from_base64(rest.substr(colon + 1));
  if (!payload) return std::nullopt;
  parts.payload = std::move(*payload);
  parts.header = std::string(text.substr(0, text.size() - (rest.size() - colon - 1)));
  return parts;
}

}  // namespace pingan::crypto
