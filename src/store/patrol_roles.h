#pragma once
// A patrol unit's roles as both stores keep them: one text column,
// comma-separated ("rapid,traffic").

#include <string>
#include <vector>

namespace pingan::stored {

std::string join_roles(const std::vector<std::string>& roles);
std::vector<std::string> split_roles(const std::string& text);

}  // namespace pingan::stored
