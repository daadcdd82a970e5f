// Numbers are read exactly (issue 16's list, the part that needs no new
// server): a query number in hex or with a leading space is refused, and a
// crew size too large for an int is refused by its range before any
// conversion (1e300 used to become -2147483648).

#include <gtest/gtest.h>

#include "core/text.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

TEST(PlainNumber, OnlyPlainFiniteDecimalsAreNumbers) {
  EXPECT_EQ(parse_plain_number("150"), 150.0);
  EXPECT_EQ(parse_plain_number("-3.5"), -3.5);
  EXPECT_EQ(parse_plain_number("1e3"), 1000.0);
  for (const char* bad : {"", " 150", "150 ", "0x96", "+5", "inf", "nan", "1e999", "1,5", "5m"})
    EXPECT_FALSE(parse_plain_number(bad).has_value()) << "'" << bad << "'";
}

class StrictNumbersTest : public HttpServerTest {};

TEST_F(StrictNumbersTest, QueryNumbersInHexOrWithSpacesAreRefusedNamingTheParameter) {
  for (const char* query : {"/api/hotspots?cell=0x96", "/api/hotspots?cell=%20150", "/api/forecast?cell=0x96"}) {
    JsonResponse r = get(query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], "cell") << query;
  }
  for (const char* query : {"/api/incidents?bbox=0x75,36,118,37", "/api/incidents?bbox=117,%2036,118,37"}) {
    JsonResponse r = get(query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], "bbox") << query;
  }
  EXPECT_EQ(get("/api/incidents?bbox=117,36,118,37").status, 200);
}

TEST_F(StrictNumbersTest, AHugeCrewSizeIsRefusedByItsRangeNotAfterAnOverflow) {
  load_units();
  JsonResponse r = post("/api/patrol-units", json::parse(R"([
      {"call_sign":"泉城-巡1","kind":"car","station":"JN-S01","crew_size":1e300}])"));
  ASSERT_EQ(r.status, 400) << r.raw;
  const std::string message = r.body["error"]["message"];
  EXPECT_NE(r.body["error"]["field"].get<std::string>().find("crew_size"), std::string::npos) << r.raw;
  EXPECT_NE(message.find("1e+300"), std::string::npos) << message;
  EXPECT_EQ(message.find("-2147483648"), std::string::npos) << message;
  EXPECT_EQ(post("/api/patrol-units", json::parse(R"([
      {"call_sign":"泉城-巡1","kind":"car","station":"JN-S01","crew_size":3}])")).status,
            200);
}

}  // namespace
}  // namespace pingan::testing
