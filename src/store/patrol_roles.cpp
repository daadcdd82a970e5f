#include "store/patrol_roles.h"

#include "core/text.h"

namespace pingan::stored {

std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

std::vector<std::string> split_roles(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (std::string_view r : split(text, ',')) out.emplace_back(r);
  return out;
}

}  // namespace pingan::stored
