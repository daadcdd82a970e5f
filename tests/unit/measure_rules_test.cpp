#include "core/measure_rules.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan {
namespace {

using K = MeasureKind;

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr CaseId kCase = 40;
constexpr PersonId kSuspect = 7;

MeasureRules shipped_rules() {
  std::ifstream in(shipped_data_dir() + "/" + kMeasureRulesFile, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << kMeasureRulesFile;
  std::stringstream ss;
  ss << in.rdbuf();
  auto rules = MeasureRules::parse_json(ss.str(), kMeasureRulesFile);
  EXPECT_TRUE(rules.ok()) << rules.error().describe();
  return rules.ok() ? *rules : MeasureRules{};
}

Measure measure(K kind, Timestamp at, PersonId person = kSuspect, CaseId in_case = kCase) {
  Measure m;
  m.case_id = in_case;
  m.person_id = person;
  m.kind = kind;
  m.at = at;
  m.unit_code = "S01";
  m.actor = "刑警 李明";
  return m;
}

// Records the measures one after another, each checked against those before.
Status record_all(const MeasureRules& rules, const std::vector<K>& kinds, std::vector<Measure>& record) {
  Timestamp at = kT0;
  for (K k : kinds) {
    Measure next = measure(k, at += 3600);
    PINGAN_RETURN_IF_ERROR(check_measure(rules, record, next));
    record.push_back(next);
  }
  return {};
}

TEST(MeasureOrder, ArrestBeforeCaughtIsRefusedNamingBoth) {
  MeasureRules rules = shipped_rules();
  Status s = check_measure(rules, {}, measure(K::kArrest, kT0));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.error().field, "kind");
  EXPECT_NE(s.error().message.find("逮捕 (arrest) needs 抓获 (caught) or 刑事拘留 (criminal_detention) first"),
            std::string::npos)
      << s.error().message;
  // Caught first, then the arrest is in order.
  std::vector<Measure> record = {measure(K::kCaught, kT0)};
  EXPECT_TRUE(check_measure(rules, record, measure(K::kArrest, kT0 + 86400)).ok());
}

TEST(MeasureOrder, AFullCriminalPathIsAccepted) {
  MeasureRules rules = shipped_rules();
  std::vector<Measure> record;
  Status s = record_all(rules,
                        {K::kCaught, K::kCriminalDetention, K::kArrest, K::kTransferForProsecution, K::kProsecution,
                         K::kSentence, K::kDealtWith},
                        record);
  EXPECT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(record.size(), 7u);
}

TEST(MeasureOrder, OtherLegalPathsAreAccepted) {
  MeasureRules rules = shipped_rules();
  const std::vector<std::vector<K>> paths = {
      {K::kCaught, K::kAdministrativeDetention, K::kDealtWith},  // 行拘, dealt with
      {K::kCaught, K::kBail, K::kArrest, K::kTransferForProsecution},  // bail, then arrest
      {K::kCaught, K::kResidentialSurveillance, K::kTransferForProsecution, K::kTransferForProsecution,
       K::kProsecution},  // the file returned once for more investigation
      {K::kCaught, K::kCriminalDetention, K::kAdministrativeDetention, K::kDealtWith},  // 刑转行
      {K::kCaught, K::kCaught},  // escaped and caught again
  };
  for (const auto& path : paths) {
    std::vector<Measure> record;
    Status s = record_all(rules, path, record);
    EXPECT_TRUE(s.ok()) << "path of " << path.size() << " starting " << measure_kind_name(path[1]) << ": "
                        << s.error().describe();
  }
}

TEST(MeasureOrder, BrokenRulesAreNamed) {
  MeasureRules rules = shipped_rules();
  struct Bad {
    std::vector<K> before;
    K next;
    std::string says;
  } bad[] = {
      {{}, K::kCriminalDetention, "刑事拘留 (criminal_detention) needs 抓获 (caught) first"},
      {{K::kCaught, K::kCriminalDetention, K::kArrest}, K::kCriminalDetention,
       "刑事拘留 (criminal_detention) cannot follow 逮捕 (arrest)"},
      {{K::kCaught}, K::kProsecution, "起诉 (prosecution) needs 移送起诉 (transfer_for_prosecution) first"},
      {{K::kCaught, K::kTransferForProsecution}, K::kSentence, "判决 (sentence) needs 起诉 (prosecution) first"},
      {{K::kCaught}, K::kDealtWith, "打击处理 (dealt_with) needs"},
      {{K::kCaught, K::kAdministrativeDetention, K::kDealtWith}, K::kDealtWith,
       "打击处理 (dealt_with) is recorded once per suspect and case"},
      {{K::kCaught, K::kTransferForProsecution, K::kProsecution}, K::kAdministrativeDetention,
       "行政拘留 (administrative_detention) cannot follow 起诉 (prosecution)"},
  };
  for (const Bad& b : bad) {
    std::vector<Measure> record;
    ASSERT_TRUE(record_all(rules, b.before, record).ok());
    Status s = check_measure(rules, record, measure(b.next, kT0 + 30 * 86400));
    ASSERT_FALSE(s.ok()) << b.says;
    EXPECT_EQ(s.error().field, "kind");
    EXPECT_NE(s.error().message.find(b.says), std::string::npos) << s.error().message;
  }
}

TEST(MeasureOrder, OnlyTheSameSuspectInTheSameCaseCounts) {
  MeasureRules rules = shipped_rules();
  // Another suspect caught, or this one caught in another case, does not allow this arrest.
  std::vector<Measure> record = {measure(K::kCaught, kT0, kSuspect + 1), measure(K::kCaught, kT0, kSuspect, kCase + 1)};
  EXPECT_FALSE(check_measure(rules, record, measure(K::kArrest, kT0 + 60)).ok());
  record.push_back(measure(K::kCaught, kT0));
  EXPECT_TRUE(check_measure(rules, record, measure(K::kArrest, kT0 + 60)).ok());
}

TEST(MeasureOrder, MeasuresAreRecordedInDateOrder) {
  MeasureRules rules = shipped_rules();
  std::vector<Measure> record = {measure(K::kCaught, kT0)};
  Status s = check_measure(rules, record, measure(K::kCriminalDetention, kT0 - 1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "at");
  EXPECT_TRUE(check_measure(rules, record, measure(K::kCriminalDetention, kT0)).ok()) << "the same second is fine";
}

TEST(MeasureOrder, AMeasuresOwnFieldsAreChecked) {
  constexpr Timestamp kNow = kT0 + 86400;
  EXPECT_TRUE(validate_measure(measure(K::kCaught, kT0), kNow).ok());
  Measure m = measure(K::kCaught, kT0);
  m.actor = "";
  EXPECT_EQ(validate_measure(m, kNow).error().field, "actor");
  m = measure(K::kCaught, kNow + 301);
  EXPECT_EQ(validate_measure(m, kNow).error().field, "at");
  m = measure(K::kCaught, kT0);
  m.unit_code.clear();
  EXPECT_EQ(validate_measure(m, kNow).error().field, "unit");
  m = measure(K::kCaught, kT0, 0);
  EXPECT_EQ(validate_measure(m, kNow).error().field, "person_id");
  for (K k : kAllMeasureKinds) EXPECT_EQ(*parse_measure_kind(measure_kind_name(k)), k);
}

struct BadRules {
  const char* what;
  std::string json;
  std::string field;
  std::string says;
};

TEST(MeasureRules, BadFilesAreRefusedNamingWhatIsWrong) {
  const BadRules cases[] = {
      {"an unknown measure", R"({"rules": [{"measure": "arrest", "requires_any": ["caught", "arrst"]}]})",
       "rules[0].requires_any[1]", "unknown measure 'arrst'"},
      {"an unknown measure named by a rule", R"({"rules": [{"measure": "deported", "requires_any": ["caught"]}]})",
       "rules[0].measure", "unknown measure 'deported'"},
      {"an unknown key in a rule", R"({"rules": [{"measure": "arrest", "requires": ["caught"]}]})",
       "rules[0].requires", "unknown key 'requires'"},
      {"an unknown key at the top", R"({"rules": [], "version": 2})", "version", "unknown key 'version'"},
      {"a repeated key", R"({"rules": [{"measure": "arrest", "measure": "bail", "requires_any": ["caught"]}]})",
       "measure", "key 'measure' appears twice"},
      {"an empty list", R"({"rules": [{"measure": "arrest", "requires_any": []}]})", "rules[0].requires_any",
       "non-empty list"},
      {"a rule saying nothing", R"({"rules": [{"measure": "arrest", "why": "because"}]})", "rules[0]",
       "says nothing"},
      {"a rule requiring itself", R"({"rules": [{"measure": "arrest", "requires_any": ["arrest"]}]})",
       "rules[0].requires_any[0]", "cannot name 'arrest' itself"},
      {"a measure listed twice", R"({"rules": [{"measure": "arrest", "not_after": ["sentence", "sentence"]}]})",
       "rules[0].not_after[1]", "'sentence' is listed twice"},
      {"once not a boolean", R"({"rules": [{"measure": "arrest", "once": "yes"}]})", "rules[0].once",
       "true or false"},
      {"a loop", R"({"rules": [{"measure": "arrest", "requires_any": ["bail"]}, {"measure": "bail", "requires_any": ["arrest"]}]})",
       "rules", "no order of measures reaches"},
      {"requiring only what it may not follow",
       R"({"rules": [{"measure": "arrest", "requires_any": ["caught"]}, {"measure": "arrest", "not_after": ["caught"]}]})",
       "rules", "逮捕 (arrest)"},
      {"not JSON", R"({"rules": [)", "measure_rules", "not valid JSON"},
      {"not an object", R"([1, 2])", "measure_rules", "must be a JSON object"},
      {"no rules", R"({"about": "nothing"})", "rules", "must be a list of rules"},
  };
  for (const BadRules& c : cases) {
    auto rules = MeasureRules::parse_json(c.json, "r.json");
    ASSERT_FALSE(rules.ok()) << c.what;
    EXPECT_EQ(rules.error().field, c.field) << c.what << ": " << rules.error().describe();
    EXPECT_NE(rules.error().message.find(c.says), std::string::npos) << c.what << ": " << rules.error().message;
    EXPECT_EQ(rules.error().message.rfind("r.json", 0), 0u) << c.what << ": the file is named first";
  }
}

TEST(MeasureRules, TheShippedFileConstrainsEveryKindButCaught) {
  MeasureRules rules = shipped_rules();
  for (K k : kAllMeasureKinds) {
    bool named = false;
    for (const MeasureRule& r : rules.rules()) named = named || r.measure == k;
    EXPECT_EQ(named, k != K::kCaught) << measure_kind_name(k);
  }
  // Every refusal can say why.
  for (const MeasureRule& r : rules.rules()) EXPECT_FALSE(r.why.empty()) << measure_kind_name(r.measure);
}

TEST(MeasureRules, AMinimalFileAllowsWhatItDoesNotName) {
  auto rules = MeasureRules::parse_json(R"({"rules": [{"measure": "arrest", "requires_any": ["caught"]}]})", "r");
  ASSERT_TRUE(rules.ok()) << rules.error().describe();
  EXPECT_TRUE(check_measure(*rules, {}, measure(K::kSentence, kT0)).ok());
  EXPECT_FALSE(check_measure(*rules, {}, measure(K::kArrest, kT0)).ok());
}

}  // namespace
}  // namespace pingan
