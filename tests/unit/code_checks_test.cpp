// The one place that refuses unknown unit, type and class codes
// (core/code_checks.h): the engine, the HTTP routes and the CLI all rely on
// its field names and wording.

#include "core/code_checks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pingan {
namespace {

Taxonomy small_taxonomy() {
  auto t = Taxonomy::parse_csv(
      "class_code,class_name_zh,type_code,type_name_zh,type_name_en\n"
      "criminal,刑事,theft,盗窃,Larceny\n"
      "traffic,交通,crash,事故,Crash\n",
      "test");
  EXPECT_TRUE(t.ok());
  return t.ok() ? *t : Taxonomy();
}

UnitTree small_tree() {
  std::vector<Unit> units(2);
  units[0].code = "B1";
  units[0].name = "市局";
  units[0].kind = UnitKind::kBureau;
  units[1].code = "S1";
  units[1].name = "派出所";
  units[1].parent_code = "B1";
  auto tree = UnitTree::build(units);
  EXPECT_TRUE(tree.ok());
  return tree.ok() ? *tree : UnitTree();
}

void expect_invalid(const Status& st, const std::string& field, const std::string& message) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.error().field, field);
  EXPECT_EQ(st.error().message, message);
}

TEST(CodeChecks, UnitKnownOrRefusedWithTheCallersField) {
  const UnitTree tree = small_tree();
  auto found = require_unit(tree, "S1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->code, "S1");

  auto missing = require_unit(tree, "S9");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "unit");
  EXPECT_EQ(missing.error().message, "unknown unit 'S9'");

  EXPECT_TRUE(check_unit_codes(tree, std::vector<std::string>{"B1", "S1"}).ok());
  expect_invalid(check_unit_codes(tree, std::vector<std::string>{"B1", "X", "Y"}, "scope"), "scope",
                 "unknown unit 'X'");
}

TEST(CodeChecks, TypesAndClassesAgainstTheTaxonomy) {
  const Taxonomy taxonomy = small_taxonomy();
  EXPECT_TRUE(check_type_codes(taxonomy, std::vector<std::string>{"theft", "crash"}).ok());
  EXPECT_TRUE(check_type_codes(taxonomy, std::vector<std::string>{}).ok());
  expect_invalid(check_type_codes(taxonomy, std::vector<std::string>{"theft", "arson"}), "type",
                 "unknown type 'arson'");
  // A class code is not a type code, and the other way round.
  expect_invalid(check_type_codes(taxonomy, std::vector<std::string>{"criminal"}, "types"), "types",
                 "unknown type 'criminal'");

  EXPECT_TRUE(check_class_codes(taxonomy, std::vector<std::string>{"criminal", "traffic"}).ok());
  expect_invalid(check_class_codes(taxonomy, std::vector<std::string>{"theft"}), "class",
                 "unknown class 'theft'");
  expect_invalid(check_class_codes(taxonomy, std::vector<std::string>{"fire"}, "classes"), "classes",
                 "unknown class 'fire'");
}

}  // namespace
}  // namespace pingan
