#include "core/place_categories.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan {
namespace {

std::string shipped_text() {
  std::ifstream in(shipped_data_dir() + "/" + kPlaceCategoriesFile, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << kPlaceCategoriesFile;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* kHeader = "code,name_zh,group,key_place,inspect_every_days\n";

Error parse_error(const std::string& body) {
  auto parsed = PlaceCategories::parse_csv(std::string(kHeader) + body, "t.csv");
  EXPECT_FALSE(parsed.ok()) << body;
  return parsed.ok() ? Error{} : parsed.error();
}

std::set<std::string> names_in(const PlaceCategories& cats, const char* group) {
  std::set<std::string> out;
  for (const PlaceCategory* c : cats.in_group(group)) out.insert(c->name_zh);
  return out;
}

TEST(RegistryPlaceCategories, TheShippedFileHoldsTheIssuesListAndTheNineSmallVenues) {
  auto cats = PlaceCategories::parse_csv(shipped_text(), kPlaceCategoriesFile);
  ASSERT_TRUE(cats.ok()) << cats.error().describe();
  // The issue's list, by Chinese name.
  std::set<std::string> names;
  for (const PlaceCategory& c : cats->categories()) names.insert(c.name_zh);
  for (const char* n : {"旅馆", "KTV", "网吧", "洗浴", "酒吧", "学校"}) EXPECT_TRUE(names.count(n)) << n;
  // 九小场所 is exactly its nine members.
  EXPECT_EQ(names_in(*cats, "nine_small"),
            (std::set<std::string>{"小商店", "小餐饮", "小旅馆", "小歌舞娱乐", "小网吧", "小美容洗浴", "小学校/幼儿园",
                                   "小医院", "小生产加工企业"}));
  EXPECT_EQ(cats->find_group("nine_small")->name_zh, "九小场所");
  EXPECT_EQ(cats->find_group("logistics")->name_zh, "寄递物流");
  EXPECT_EQ(cats->find_group("dangerous_goods")->name_zh, "危险物品单位");
  auto dangerous = names_in(*cats, "dangerous_goods");
  EXPECT_TRUE(dangerous.count("剧毒化学品单位"));
  EXPECT_TRUE(dangerous.count("易制爆危险化学品单位"));
  EXPECT_FALSE(names_in(*cats, "logistics").empty());
  // A key place has an interval, any other none.
  for (const PlaceCategory& c : cats->categories()) {
    EXPECT_EQ(c.key_place, c.inspect_every_days.has_value()) << c.code;
    EXPECT_NE(cats->find_group(c.group), nullptr) << c.code;
  }
  EXPECT_TRUE(cats->find("hotel")->key_place);
  EXPECT_EQ(cats->find("hotel")->inspect_every_days, 30);
  EXPECT_FALSE(cats->find("shop")->key_place);
}

TEST(RegistryPlaceCategories, AGroupMayBeNamedBelowItsCategoriesAndABomIsSkipped) {
  auto cats = PlaceCategories::parse_csv(
      std::string("\xEF\xBB\xBF# comment\n") + kHeader + "hotel,旅馆,trade,yes,30\n\ntrade,特种行业,group,,\n", "t.csv");
  ASSERT_TRUE(cats.ok()) << cats.error().describe();
  EXPECT_EQ(cats->categories().size(), 1u);
  EXPECT_EQ(cats->in_group("trade").size(), 1u);
  EXPECT_TRUE(cats->in_group("nothing").empty());
}

TEST(RegistryPlaceCategories, ErrorsNameTheLineAndTheField) {
  // Line numbers count the header (line 1) and every line below it.
  Error e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,maybe,30\n");
  EXPECT_EQ(e.field, "key_place");
  EXPECT_EQ(e.message.rfind("t.csv:3:", 0), 0u) << e.message;

  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes,0\n");
  EXPECT_EQ(e.field, "inspect_every_days");
  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes,367\n");
  EXPECT_EQ(e.field, "inspect_every_days");
  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes,30d\n");
  EXPECT_EQ(e.field, "inspect_every_days");
  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes,\n");
  EXPECT_EQ(e.field, "inspect_every_days");
  // Not a key place, so no interval.
  e = parse_error("trade,特种行业,group,,\nshop,商铺,trade,no,30\n");
  EXPECT_EQ(e.field, "inspect_every_days");

  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,tarde,yes,30\n");
  EXPECT_EQ(e.field, "group");
  EXPECT_NE(e.message.find("unknown group 'tarde'"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.rfind("t.csv:3:", 0), 0u) << e.message;

  e = parse_error("trade,特种行业,group,,\nHotel,旅馆,trade,yes,30\n");
  EXPECT_EQ(e.field, "code");
  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes,30\nhotel,宾馆,trade,yes,30\n");
  EXPECT_EQ(e.field, "code");
  EXPECT_NE(e.message.find("twice"), std::string::npos);
  e = parse_error("trade,特种行业,group,,\nhotel,,trade,yes,30\n");
  EXPECT_EQ(e.field, "name_zh");
  e = parse_error("trade,特种行业,group,,\nhotel,旅馆,trade,yes\n");
  EXPECT_EQ(e.field, "line");
  e = parse_error("trade,特种行业,group,yes,\nhotel,旅馆,trade,yes,30\n");
  EXPECT_EQ(e.field, "key_place");
  // A group nobody is in: a misspelt code somewhere.
  e = parse_error("trade,特种行业,group,,\nfun,娱乐,group,,\nhotel,旅馆,trade,yes,30\n");
  EXPECT_EQ(e.field, "group");
  EXPECT_NE(e.message.find("'fun' has no categories"), std::string::npos);

  auto no_header = PlaceCategories::parse_csv("code,name\n", "t.csv");
  ASSERT_FALSE(no_header.ok());
  EXPECT_EQ(no_header.error().field, "header");
  auto empty = PlaceCategories::parse_csv(kHeader, "t.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "line");
}

TEST(RegistryPlaceCategories, CheckNamesTheUnknownCategoryAndRefusesAGroup) {
  auto cats = PlaceCategories::parse_csv(shipped_text(), kPlaceCategoriesFile);
  ASSERT_TRUE(cats.ok());
  EXPECT_TRUE(check_place_category(*cats, "ktv").ok());
  Status unknown = check_place_category(*cats, "casino");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "category");
  EXPECT_NE(unknown.error().message.find("unknown place category 'casino'"), std::string::npos);
  Status group = check_place_category(*cats, "nine_small", "place.category");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().field, "place.category");
  EXPECT_NE(group.error().message.find("group"), std::string::npos);
}

}  // namespace
}  // namespace pingan
