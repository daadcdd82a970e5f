// UTF-8 validation checks eight ASCII bytes at a time: a bad sequence must
// still be found wherever it sits relative to those 8-byte steps.

#include <gtest/gtest.h>

#include <string>

#include "core/text.h"

namespace pingan {
namespace {

TEST(TextTest, Utf8ValidationFindsBadBytesAtEveryOffset) {
  const std::string valid[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x9A\x93", "派出所"};
  const std::string invalid[] = {"\xC3(", "\xE2\x82", "\xC0\xAF" /* overlong '/' */, "\xED\xA0\x80" /* surrogate */,
                                 "\xF4\x90\x80\x80" /* past U+10FFFF */, "\x80", "\xFF"};
  for (size_t prefix = 0; prefix <= 17; ++prefix) {
    for (size_t suffix : {size_t(0), size_t(3), size_t(9)}) {
      std::string before(prefix, 'a'), after(suffix, 'z');
      for (const std::string& v : valid) EXPECT_TRUE(is_valid_utf8(before + v + after)) << prefix << "+" << suffix;
      for (const std::string& v : invalid)
        EXPECT_FALSE(is_valid_utf8(before + v + after)) << "prefix " << prefix << " suffix " << suffix;
    }
  }
  EXPECT_TRUE(is_valid_utf8(std::string(64, 'x')));
  EXPECT_TRUE(is_valid_utf8(""));
}

}  // namespace
}  // namespace pingan
