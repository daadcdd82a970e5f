#include "core/case_types.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan {
namespace {

std::string shipped_text() {
  std::ifstream in(shipped_data_dir() + "/" + kCaseTypesFile, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << kCaseTypesFile;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> codes_in(const CaseTypes& types, const char* group) {
  std::set<std::string> out;
  for (const CaseType* t : types.types_in_group(group)) out.insert(t->code);
  return out;
}

constexpr const char* kHeader = "code,class,name_zh,name_en,groups\n";

TEST(CaseTypes, TheShippedFileHoldsTheSeedsTypesAndGroups) {
  auto types = CaseTypes::parse_csv(shipped_text(), kCaseTypesFile);
  ASSERT_TRUE(types.ok()) << types.error().describe();
  // Every grouping a seed counts by is a group of the file.
  for (const char* g : {"property", "lqld", "two_thefts", "theft", "telecom_fraud", "elderly_fraud", "vice",
                        "prostitution_gambling", "drugs", "guns_explosives", "food_drug_env_ip", "drink_driving",
                        "homicide_cases", "two_cards", "gang_crime"})
    EXPECT_NE(types->find_group(g), nullptr) << g;
  // 两抢两盗 is the classic four, 两盗 its two thefts.
  EXPECT_EQ(codes_in(*types, "lqld"), (std::set<std::string>{"robbery", "snatching", "burglary", "vehicle_theft"}));
  EXPECT_EQ(codes_in(*types, "two_thefts"), (std::set<std::string>{"burglary", "vehicle_theft"}));
  // 侵财 counts more than 两抢两盗: every 两抢两盗 type is in it, and fraud too.
  std::set<std::string> property = codes_in(*types, "property");
  for (const std::string& c : codes_in(*types, "lqld")) EXPECT_TRUE(property.count(c)) << c;
  EXPECT_TRUE(property.count("telecom_fraud_case"));
  EXPECT_GT(property.size(), 4u);
  EXPECT_TRUE(types->in_group("burglary", "lqld"));
  EXPECT_FALSE(types->in_group("pickpocketing", "lqld"));
  EXPECT_FALSE(types->in_group("no_such_type", "lqld"));
  EXPECT_TRUE(types->types_in_group("no_such_group").empty());
  // Both classes are present; 酒驾醉驾 spans them (醉驾 criminal, 酒驾 administrative).
  ASSERT_NE(types->find_type("drunk_driving"), nullptr);
  EXPECT_EQ(types->find_type("drunk_driving")->case_class, CaseClass::kCriminal);
  ASSERT_NE(types->find_type("drink_driving_admin"), nullptr);
  EXPECT_EQ(types->find_type("drink_driving_admin")->case_class, CaseClass::kAdministrative);
  EXPECT_EQ(types->find_type("burglary")->name_zh, "入室盗窃");
}

TEST(CaseTypes, AGoodSmallFileParsesWithGroupsNamedBelowTheirTypes) {
  std::string text = std::string("\xEF\xBB\xBF# a comment\n") + kHeader +
                     "robbery,criminal,抢劫,Robbery,property|lqld\n"
                     "admin_theft,administrative,盗窃(治安),Petty theft,property\r\n"
                     "\n"
                     "property,group,侵财,Property crime,\n"
                     "lqld,group,两抢两盗,Two robberies and two thefts,\n";
  auto types = CaseTypes::parse_csv(text, "small.csv");
  ASSERT_TRUE(types.ok()) << types.error().describe();
  EXPECT_EQ(types->types().size(), 2u);
  EXPECT_EQ(types->groups().size(), 2u);
  EXPECT_EQ(types->find_type("admin_theft")->case_class, CaseClass::kAdministrative);
  EXPECT_EQ(types->find_type("admin_theft")->name_zh, "盗窃(治安)");
  EXPECT_EQ(types->find_group("lqld")->name_zh, "两抢两盗");
  EXPECT_EQ(types->types_in_group("property").size(), 2u);
  EXPECT_EQ(types->types_in_group("lqld").size(), 1u);
}

struct BadFile {
  const char* what;
  std::string body;   // after the header (line 1)
  std::string field;  // the column named
  std::string says;   // in the message, with the line
};

TEST(CaseTypes, BadFilesAreRefusedNamingLineAndField) {
  const BadFile cases[] = {
      {"duplicate code", "robbery,criminal,抢劫,Robbery,\nrobbery,criminal,抢劫2,Robbery again,\n", "code",
       "f.csv:3: 'robbery' is defined twice"},
      {"type and group share a code", "theft,group,盗窃,Theft,\ntheft,criminal,盗窃,Theft,theft\n", "code",
       "f.csv:3: 'theft' is defined twice"},
      {"unknown class", "robbery,criminal,抢劫,Robbery,\nfraud,crimnal,诈骗,Fraud,\n", "class",
       "f.csv:3: unknown class 'crimnal'"},
      {"too few fields", "robbery,criminal,抢劫,Robbery\n", "line", "f.csv:2: expected 5 fields, found 4"},
      {"a comma in a name", "robbery,criminal,抢劫,Robbery, armed,\n", "line", "f.csv:2: expected 5 fields, found 6"},
      {"quotes", "robbery,criminal,\"抢劫\",Robbery,\n", "line", "f.csv:2: quoted fields"},
      {"bad code", "Robbery,criminal,抢劫,Robbery,\n", "code", "f.csv:2: 'Robbery' is not a code"},
      {"no Chinese name", "robbery,criminal,,Robbery,\n", "name_zh", "f.csv:2: 'robbery' has no Chinese name"},
      {"unknown group", "robbery,criminal,抢劫,Robbery,\nsnatching,criminal,抢夺,Snatching,lqld\n", "groups",
       "f.csv:3: type 'snatching' names unknown group 'lqld'"},
      {"group listed twice", "lqld,group,两抢两盗,LQLD,\nrobbery,criminal,抢劫,Robbery,lqld|lqld\n", "groups",
       "f.csv:3: 'lqld' is listed twice"},
      {"a group in a group", "lqld,group,两抢两盗,LQLD,property\n", "groups", "f.csv:2: group 'lqld' cannot"},
      {"an empty group", "lqld,group,两抢两盗,LQLD,\nrobbery,criminal,抢劫,Robbery,\n", "groups",
       "group 'lqld' has no types"},
      {"no types", "lqld,group,两抢两盗,LQLD,\n", "line", "no case types"},
  };
  for (const BadFile& c : cases) {
    auto types = CaseTypes::parse_csv(kHeader + c.body, "f.csv");
    ASSERT_FALSE(types.ok()) << c.what;
    EXPECT_EQ(types.error().field, c.field) << c.what << ": " << types.error().describe();
    EXPECT_NE(types.error().message.find(c.says), std::string::npos) << c.what << ": " << types.error().message;
  }
}

TEST(CaseTypes, TheHeaderMustNameTheColumnsInOrder) {
  auto swapped = CaseTypes::parse_csv("class,code,name_zh,name_en,groups\nrobbery,criminal,抢劫,Robbery,\n", "f.csv");
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.error().field, "header");
  EXPECT_NE(swapped.error().message.find("f.csv:1:"), std::string::npos);
  auto empty = CaseTypes::parse_csv("# only a comment\n", "f.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "header");
}

TEST(CaseTypes, ClassNamesRoundTrip) {
  for (CaseClass c : {CaseClass::kCriminal, CaseClass::kAdministrative}) {
    auto back = parse_case_class(case_class_name(c));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, c);
  }
  EXPECT_STREQ(case_class_name_zh(CaseClass::kAdministrative), "行政");
  auto bad = parse_case_class("group", "case_class");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "case_class");
}

}  // namespace
}  // namespace pingan
