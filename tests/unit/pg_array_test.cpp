// pg::ArrayLiteral, the one quoting of PostgreSQL array elements: the text
// it writes, and that PostgreSQL (the test cluster) reads every element
// back as it was, the awkward ones included.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/postgres/pg_array.h"
#include "store/postgres/pg_connection.h"
#include "test_store.h"

namespace pingan::pg {
namespace {

const std::vector<std::string>& awkward_texts() {
  static const std::vector<std::string> texts = {
      "", "NULL", "null", "a,b", "{x}", "\"quoted\"", "back\\slash", "\\\"", " spaced ", "tab\there",
      "line\nbreak", "报警 13800138000", "'single'", "}{,\"\\", "ends with \\"};
  return texts;
}

TEST(PostgresArrayLiteral, QuotesEveryTextAndEscapesQuotesAndBackslashes) {
  EXPECT_EQ(ArrayLiteral().str(), "{}");
  EXPECT_EQ(ArrayLiteral().add("").add("NULL").str(), R"({"","NULL"})");
  EXPECT_EQ(ArrayLiteral().add("a\"b").add("c\\d").add("{,}").str(), R"({"a\"b","c\\d","{,}"})");
  EXPECT_EQ(ArrayLiteral().add(std::int64_t{-5}).add(std::int64_t{42}).str(), "{-5,42}");
  EXPECT_EQ(ArrayLiteral().add("x").add("y").size(), 2u);
}

TEST(PostgresArrayLiteral, PostgresReadsEveryElementBackUnchanged) {
  auto c = Connection::open(testing::pg_test_url(), "");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  ArrayLiteral texts;
  for (const auto& t : awkward_texts()) texts.add(t);
  Params p;
  p.add(texts.str());
  auto r = (*c)->exec("SELECT t, t IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS a(t, n) ORDER BY n", p, "test");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->rows(), int(awkward_texts().size()));
  for (int i = 0; i < r->rows(); ++i) {
    EXPECT_EQ(r->text(i, 0), awkward_texts()[size_t(i)]) << i;
    EXPECT_FALSE(r->boolean(i, 1)) << i;
  }
  ArrayLiteral numbers;
  numbers.add(std::int64_t{-9'000'000'000'000'000'000}).add(std::int64_t{0}).add(std::int64_t{7});
  Params q;
  q.add(numbers.str());
  auto sum = (*c)->exec("SELECT array_length($1::bigint[], 1), ($1::bigint[])[1]", q, "test");
  ASSERT_TRUE(sum.ok()) << sum.error().describe();
  EXPECT_EQ(sum->int64(0, 0), 3);
  EXPECT_EQ(sum->int64(0, 1), -9'000'000'000'000'000'000);
}

}  // namespace
}  // namespace pingan::pg
