#pragma once
// Masks of personal data as lists, search results and exports show it
// (issue 17): enough to tell two records apart or confirm a caller, not
// enough to identify a person. The plain value is revealed only through a
// permission, a stated reason and an audit entry. Also the normal form of a
// phone and an ID number that look-up hashes are computed over, so that
// "138-1234-5678" finds what "13812345678" stored.
//
// All functions are UTF-8 aware: a Chinese character (3 bytes) is one
// character, masked as one '*'.

#include <string>
#include <string_view>

namespace pingan {

// 13812345678 -> 138****5678: the first 3 and last 4 of its normal form
// (below; "+86 138-1234-5678" masks alike); fewer than 7 digits are all masked.
std::string mask_phone(std::string_view phone);
// 370102199001011234 -> 370102********1234 (the region, then the last 4);
// shorter than 11 characters: all masked.
std::string mask_id_number(std::string_view id_number);
// 张三 -> 张*, 欧阳娜娜 -> 欧***: the first character, then one '*' for each
// other; a one-character name is "*".
std::string mask_name(std::string_view name);
// The address up to its district or county (区, 县, 旗 within its first 12
// characters), else its first 6 characters (half of a shorter one), then
// "****".
std::string mask_address(std::string_view address);

// Digits only; a leading 86 or 0086 country code before an 11-digit mobile
// number is dropped.
std::string normalise_phone(std::string_view phone);
// Spaces trimmed, a final 'x' upper-cased.
std::string normalise_id_number(std::string_view id_number);

}  // namespace pingan
