#include "ingest/field_parsers.h"

#include <charconv>
#include <cstring>

#include "core/text.h"

namespace pingan::ingest {
namespace {

// Reads 1..max_digits digits at `pos`, advancing it.
bool read_number(std::string_view s, size_t& pos, size_t min_digits, size_t max_digits, int& out) {
  size_t start = pos;
  int v = 0;
  while (pos < s.size() && pos - start < max_digits && s[pos] >= '0' && s[pos] <= '9')
    v = v * 10 + (s[pos++] - '0');
  if (pos - start < min_digits) return false;
  out = v;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<CivilTime> valid_or_none(const CivilTime& t) {
  if (!is_valid_civil(t)) return std::nullopt;
  return t;
}

}  // namespace

std::optional<long long> parse_integer(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_decimal(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<CivilTime> parse_mdy_hm(std::string_view text) {
  std::string_view s = trim(text);
  CivilTime t;
  size_t p = 0;
  if (!read_number(s, p, 1, 2, t.month) || !expect(s, p, '/') || !read_number(s, p, 1, 2, t.day) ||
      !expect(s, p, '/') || !read_number(s, p, 4, 4, t.year) || !expect(s, p, ' ') ||
      !read_number(s, p, 1, 2, t.hour) || !expect(s, p, ':') || !read_number(s, p, 2, 2, t.minute))
    return std::nullopt;
  if (p < s.size() && (!expect(s, p, ':') || !read_number(s, p, 2, 2, t.second))) return std::nullopt;
  if (p != s.size()) return std::nullopt;
  return valid_or_none(t);
}

std::optional<CivilTime> parse_mdy2(std::string_view text) {
  std::string_view s = trim(text);
  CivilTime t;
  size_t p = 0;
  int yy = 0;
  if (!read_number(s, p, 2, 2, t.month) || !expect(s, p, '/') || !read_number(s, p, 2, 2, t.day) ||
      !expect(s, p, '/') || !read_number(s, p, 2, 2, yy) || p != s.size())
    return std::nullopt;
  t.year = 2000 + yy;
  return valid_or_none(t);
}

std::optional<CivilTime> parse_ymd(std::string_view text) {
  std::string_view s = trim(text);
  CivilTime t;
  size_t p = 0;
  if (!read_number(s, p, 4, 4, t.year) || !expect(s, p, '-') || !read_number(s, p, 2, 2, t.month) ||
      !expect(s, p, '-') || !read_number(s, p, 2, 2, t.day) || p != s.size())
    return std::nullopt;
  return valid_or_none(t);
}

std::optional<CivilTime> parse_year_month(std::string_view text) {
  std::string_view s = trim(text);
  CivilTime t;
  size_t p = 0;
  if (!read_number(s, p, 4, 4, t.year) || !expect(s, p, '-') || !read_number(s, p, 2, 2, t.month) ||
      p != s.size())
    return std::nullopt;
  return valid_or_none(t);
}

std::optional<int> parse_hh_mm(std::string_view text) {
  std::string_view s = trim(text);
  size_t p = 0;
  int h = 0, m = 0;
  if (!read_number(s, p, 2, 2, h) || !expect(s, p, ':') || !read_number(s, p, 2, 2, m) || p != s.size())
    return std::nullopt;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 3600 + m * 60;
}

bool has_high_bytes(std::string_view text) {
  // Eight bytes at a time: any byte with its top bit set.
  const char* p = text.data();
  size_t n = text.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) return true;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return true;
  return false;
}

}  // namespace pingan::ingest
