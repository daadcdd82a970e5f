#include "core/personal_masks.h"

#include <vector>

#include "core/text.h"

namespace pingan {
namespace {

// The UTF-8 characters of `text`, each as its bytes. A byte that does not
// start a valid sequence stands for itself (masks must not fail).
std::vector<std::string_view> characters(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t n = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
    if (i + n > text.size()) n = 1;
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace

std::string mask_phone(std::string_view phone) {
  std::string digits = normalise_phone(phone);
  if (digits.size() < 7) return std::string(digits.size(), '*');
  return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
}

std::string mask_id_number(std::string_view id_number) {
  std::string id = normalise_id_number(id_number);
  auto chars = characters(id);
  if (chars.size() < 11) return std::string(chars.size(), '*');
  // By characters, not bytes: text that is no number (a name typed in the
  // wrong field) must still mask to valid UTF-8.
  std::string out;
  for (std::size_t i = 0; i < 6; ++i) out += chars[i];
  out += std::string(chars.size() - 10, '*');
  for (std::size_t i = chars.size() - 4; i < chars.size(); ++i) out += chars[i];
  return out;
}

std::string mask_name(std::string_view name) {
  auto chars = characters(trim(name));
  if (chars.size() <= 1) return chars.empty() ? "" : "*";
  return std::string(chars[0]) + std::string(chars.size() - 1, '*');
}

std::string mask_address(std::string_view address) {
  auto chars = characters(trim(address));
  if (chars.empty()) return "";
  size_t keep = 0;
  for (size_t i = 0; i < chars.size() && i < 12; ++i)
    if (chars[i] == "区" || chars[i] == "县" || chars[i] == "旗") {
      keep = i + 1;
      break;
    }
  if (keep == 0 || keep >= chars.size()) keep = chars.size() > 6 ? 6 : (chars.size() + 1) / 2;
  std::string out;
  for (size_t i = 0; i < keep; ++i) out += chars[i];
  return out + "****";
}

std::string normalise_phone(std::string_view phone) {
  std::string digits = digits_of(phone);
  for (std::string_view code : {"0086", "86"})
    if (digits.size() == 11 + code.size() && digits.compare(0, code.size(), code) == 0 &&
        digits[code.size()] == '1')
      return digits.substr(code.size());
  return digits;
}

std::string normalise_id_number(std::string_view id_number) {
  std::string id(trim(id_number));
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

}  // namespace pingan
