#include "core/time.h"

#include <gtest/gtest.h>

namespace pingan {
namespace {

TEST(Time, ParsesOffsetsAndZ) {
  EXPECT_EQ(*parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_iso8601("2024-06-01T08:30:00+08:00"), *parse_iso8601("2024-06-01T00:30:00Z"));
  EXPECT_EQ(*parse_iso8601("2024-06-01T08:30+08:00"), *parse_iso8601("2024-06-01T00:30:00Z"));
  EXPECT_EQ(*parse_iso8601("2024-06-01T00:30:00.250Z"), *parse_iso8601("2024-06-01T00:30:00Z"));
  EXPECT_EQ(*parse_iso8601("2024-02-29T12:00:00-05:00"), civil_to_utc({2024, 2, 29, 17, 0, 0}));
}

TEST(Time, RefusesBadDatesAndNaiveTimesWithoutAZone) {
  EXPECT_FALSE(parse_iso8601("2023-02-29T00:00:00Z").ok());
  EXPECT_FALSE(parse_iso8601("2024-13-01T00:00:00Z").ok());
  EXPECT_FALSE(parse_iso8601("2024-06-01T25:00:00Z").ok());
  EXPECT_FALSE(parse_iso8601("yesterday").ok());
  EXPECT_FALSE(parse_iso8601("2024-06-01T08:30:00").ok());
  EXPECT_FALSE(parse_iso8601("2024-06-01T08:30:00Zjunk").ok());
}

TEST(Time, NaiveTimesAreReadInTheGivenZoneWithDst) {
  auto chicago = TimeZone::locate("America/Chicago");
  ASSERT_TRUE(chicago.ok());
  // CDT (UTC-5) in July, CST (UTC-6) in January.
  EXPECT_EQ(*parse_iso8601("2016-07-04T12:00:00", &*chicago), *parse_iso8601("2016-07-04T17:00:00Z"));
  EXPECT_EQ(*parse_iso8601("2016-01-04T12:00:00", &*chicago), *parse_iso8601("2016-01-04T18:00:00Z"));
  auto shanghai = TimeZone::locate("Asia/Shanghai");
  EXPECT_EQ(format_local(*parse_iso8601("2024-06-01T00:30:00Z"), *shanghai), "2024-06-01T08:30:00+08:00");
  EXPECT_FALSE(TimeZone::locate("Mars/Olympus").ok());
}

TEST(Time, CivilRoundTripAcrossLeapDays) {
  for (Timestamp ts : {Timestamp(0), Timestamp(951782400) /* 2000-02-29 */, Timestamp(1709164800),
                       Timestamp(-2208988800)})
    EXPECT_EQ(civil_to_utc(utc_to_civil(ts)), ts);
  EXPECT_EQ(format_utc(civil_to_utc({2024, 2, 29, 23, 59, 59})), "2024-02-29T23:59:59Z");
}

}  // namespace
}  // namespace pingan
