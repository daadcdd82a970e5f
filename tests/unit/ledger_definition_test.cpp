#include "core/ledger_definition.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/lifecycle.h"
#include "ledger_test_support.h"

namespace pingan {
namespace {

using nlohmann::json;
using testing::shipped_ledger;

// A small valid type: a lost item (失物) found, handed over, confirmed by
// someone else, or disposed of after 90 days.
json lost_item() {
  return json::parse(R"json({
    "comment": "失物招领",
    "code": "lost_item", "label": "失物招领", "version": 2,
    "who_may_create": ["community", "station"],
    "fields": [
      {"code": "what", "label": "物品", "kind": "text", "required": true, "max_chars": 100},
      {"code": "category", "label": "类别", "kind": "enum", "required": true,
       "values": [{"code": "phone", "label": "手机"}, {"code": "wallet", "label": "钱包"}]},
      {"code": "cash_fen", "label": "现金(分)", "kind": "money_fen"},
      {"code": "owner", "label": "失主", "kind": "person", "personal": "name"},
      {"code": "pieces", "label": "件数", "kind": "count", "max": 50}
    ],
    "states": [
      {"code": "kept", "label": "保管中", "initial": true, "counts_as": ["found"]},
      {"code": "handed", "label": "已交还", "counts_as": ["found", "returned"]},
      {"code": "confirmed", "label": "已确认", "final": true, "counts_as": ["found", "returned", "closed"]},
      {"code": "disposed", "label": "已处置", "final": true, "counts_as": ["found", "closed"]}
    ],
    "steps": [
      {"code": "hand_over", "label": "交还失主", "from": ["kept"], "to": "handed", "who": ["community"],
       "fields": ["owner"]},
      {"code": "confirm", "label": "确认", "from": ["handed"], "to": "confirmed", "who": ["station", "ledgers.write"],
       "verifies": "hand_over"},
      {"code": "dispose", "label": "处置", "from": ["kept"], "to": "disposed", "who": ["station"]}
    ],
    "deadlines": [
      {"code": "keep", "label": "保管期限", "start_state": "kept", "until": ["handed", "disposed"], "due": "90d",
       "remind_before": "7d", "escalations": [{"code": "supervise", "label": "督办", "after": "0"}]}
    ],
    "tallies": ["pieces", "cash_fen"]
  })json");
}

Result<LedgerDefinition> parse(const json& doc) { return LedgerDefinition::parse_json(doc.dump(), "lost_item.json"); }

TEST(LedgerDefinition, ReadsEveryPartOfAValidFile) {
  auto d = parse(lost_item());
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->code(), "lost_item");
  EXPECT_EQ(d->label(), "失物招领");
  EXPECT_EQ(d->version(), 2);
  EXPECT_EQ(d->source_name(), "lost_item.json");
  ASSERT_EQ(d->fields().size(), 5u);
  EXPECT_EQ(d->field("category")->kind, LedgerFieldKind::kEnum);
  EXPECT_EQ(d->field("category")->choice("wallet")->label, "钱包");
  EXPECT_EQ(d->field("category")->choice("keys"), nullptr);
  EXPECT_EQ(d->field("owner")->personal, LedgerMask::kName);
  EXPECT_EQ(d->field("owner")->max_chars, 100u);  // a person's default: kMaxNameChars
  EXPECT_EQ(d->field("pieces")->max, 50);
  EXPECT_EQ(d->initial_state().code, "kept");
  EXPECT_TRUE(d->state("confirmed")->final);
  EXPECT_EQ(d->step("confirm")->verifies, "hand_over");
  EXPECT_EQ(d->step("confirm")->who, (std::vector<std::string>{"station", "ledgers.write"}));
  ASSERT_EQ(d->steps_from("kept").size(), 2u);
  EXPECT_EQ(d->steps_from("kept")[0]->code, "hand_over");
  EXPECT_TRUE(d->steps_from("disposed").empty());
  ASSERT_EQ(d->deadlines().size(), 1u);
  EXPECT_EQ(d->deadlines()[0].due_s, 90 * 86400);
  EXPECT_EQ(d->deadlines()[0].remind_before_s, 7 * 86400);
  EXPECT_EQ(d->deadlines()[0].escalations[0].after_s, 0);
  EXPECT_EQ(d->tallies(), (std::vector<std::string>{"pieces", "cash_fen"}));
}

TEST(LedgerDefinition, DurationsInMinutesHoursAndDays) {
  EXPECT_EQ(*parse_ledger_duration("72h", "due"), 259200);
  EXPECT_EQ(*parse_ledger_duration("15d", "due"), 1296000);
  EXPECT_EQ(*parse_ledger_duration("30m", "due"), 1800);
  EXPECT_EQ(*parse_ledger_duration("0", "due"), 0);
  EXPECT_EQ(*parse_ledger_duration("36600d", "due"), std::int64_t{36600} * 86400);  // 100 years, the longest
  for (const char* bad : {"-3d", "1.5h", "h", "15", "15 d", "", "0x10h", "99999999999999999d", "36601d"}) {
    auto r = parse_ledger_duration(bad, "due");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().field, "due");
    }
  }
  EXPECT_NE(parse_ledger_duration("-3d", "due").error().message.find("negative"), std::string::npos);
}

TEST(LedgerDefinition, GrantNamesAreLowerCaseDottedWords) {
  for (const char* ok : {"community", "ledgers.write", "a1_b.c2"}) EXPECT_TRUE(is_ledger_grant_name(ok)) << ok;
  for (const char* bad : {"", "Station", "社区民警", "a..b", ".a", "a.", "a b", "1abc"})
    EXPECT_FALSE(is_ledger_grant_name(bad)) << bad;
}

struct BadCase {
  const char* name;
  std::function<void(json&)> spoil;
  const char* field;      // the error's field: the JSON path at fault
  const char* message;    // a fragment of the message
};

TEST(LedgerDefinition, RefusesMistakesNamingFilePathAndWhy) {
  const BadCase cases[] = {
      {"unknown top key", [](json& d) { d["colour"] = "red"; }, "colour", "unknown key 'colour'"},
      {"unknown field key", [](json& d) { d["fields"][0]["size"] = 3; }, "fields[0].size", "unknown key 'size'"},
      {"unknown step key", [](json& d) { d["steps"][1]["approves"] = "x"; }, "steps[1].approves", "unknown key"},
      {"duplicate field", [](json& d) { d["fields"][1]["code"] = "what"; }, "fields[1].code",
       "field 'what' is defined twice"},
      {"duplicate state", [](json& d) { d["states"][3]["code"] = "confirmed"; }, "states[3].code",
       "state 'confirmed' is defined twice"},
      {"a step named create", [](json& d) { d["steps"][2]["code"] = "create"; }, "steps[2].code", "reserved"},
      {"duplicate step", [](json& d) { d["steps"][2]["code"] = "confirm"; }, "steps[2].code", "defined twice"},
      {"duplicate enum value", [](json& d) { d["fields"][1]["values"][1]["code"] = "phone"; },
       "fields[1].values[1].code", "listed twice"},
      {"step to an unknown state", [](json& d) { d["steps"][2]["to"] = "burnt"; }, "steps[2].to",
       "no state 'burnt'"},
      {"step from an unknown state", [](json& d) { d["steps"][0]["from"] = {"lost"}; }, "steps[0].from[0]",
       "no state 'lost'"},
      {"unreachable final state", [](json& d) { d["steps"].erase(2); }, "states",
       "final state 'disposed' cannot be reached"},
      {"a dead end", [](json& d) { d["steps"][1]["from"] = {"kept"}; }, "states", "'handed' is not final"},
      {"a step out of a final state", [](json& d) { d["steps"][2]["from"] = {"kept", "confirmed"}; },
       "steps[2].from[1]", "'confirmed' is a final state"},
      {"a role that is not a name", [](json& d) { d["steps"][0]["who"] = {"Community Officer"}; },
       "steps[0].who[0]", "is not a role or permission name"},
      {"nobody may take a step", [](json& d) { d["steps"][0]["who"] = json::array(); }, "steps[0].who",
       "must not be empty"},
      {"negative duration", [](json& d) { d["deadlines"][0]["due"] = "-3d"; }, "deadlines[0].due", "negative"},
      {"duration without a unit", [](json& d) { d["deadlines"][0]["due"] = "72"; }, "deadlines[0].due",
       "neither m, h nor d"},
      {"duration as a number", [](json& d) { d["deadlines"][0]["due"] = 72; }, "deadlines[0].due",
       "not a duration"},
      {"zero due", [](json& d) { d["deadlines"][0]["due"] = "0"; }, "deadlines[0].due", "longer than 0"},
      {"reminder before the start", [](json& d) { d["deadlines"][0]["remind_before"] = "90d"; },
       "deadlines[0].remind_before", "shorter than due"},
      {"escalations out of order",
       [](json& d) {
         d["deadlines"][0]["escalations"].push_back({{"code", "listed"}, {"label", "挂牌督办"}, {"after", "0"}});
       },
       "deadlines[0].escalations[1].after", "later than the escalation before it"},
      {"deadline on an unknown state", [](json& d) { d["deadlines"][0]["until"] = {"gone"}; },
       "deadlines[0].until[0]", "no state 'gone'"},
      {"deadline with two starts", [](json& d) { d["deadlines"][0]["start_step"] = "hand_over"; }, "deadlines[0]",
       "exactly one of start_state and start_step"},
      {"two initial states", [](json& d) { d["states"][1]["initial"] = true; }, "states[1].initial",
       "'kept' is already the initial state"},
      {"no initial state", [](json& d) { d["states"][0].erase("initial"); }, "states", "no state is marked initial"},
      {"verifies an unknown step", [](json& d) { d["steps"][1]["verifies"] = "weigh"; }, "steps[1].verifies",
       "no step 'weigh'"},
      {"verifies itself", [](json& d) { d["steps"][1]["verifies"] = "confirm"; }, "steps[1].verifies",
       "cannot verify itself"},
      {"a step requiring an unknown field", [](json& d) { d["steps"][0]["fields"] = {"receipt"}; },
       "steps[0].fields[0]", "no field 'receipt'"},
      {"enum without values", [](json& d) { d["fields"][1].erase("values"); }, "fields[1].values",
       "an enum field lists its values"},
      {"values on a text field", [](json& d) { d["fields"][0]["values"] = d["fields"][1]["values"]; },
       "fields[0].values", "only an enum field has values"},
      {"unknown kind", [](json& d) { d["fields"][0]["kind"] = "string"; }, "fields[0].kind", "unknown kind 'string'"},
      {"negative bound of a count", [](json& d) { d["fields"][4]["min"] = -1; }, "fields[4].min", "negative"},
      {"bounds on text", [](json& d) { d["fields"][0]["min"] = 1; }, "fields[0].min", "only integer"},
      {"unknown mask", [](json& d) { d["fields"][3]["personal"] = "face"; }, "fields[3].personal",
       "unknown mask 'face'"},
      {"a people field masked as a name",
       [](json& d) { d["fields"][3] = {{"code", "seen"}, {"label", "在场人员"}, {"kind", "people"}, {"personal", "name"}}; },
       "fields[3].personal", "a people field is masked as people, not 'name'"},
      {"a text field masked as people", [](json& d) { d["fields"][3]["personal"] = "people"; }, "fields[3].personal",
       "only a people field is masked as people"},
      {"max_chars on people",
       [](json& d) { d["fields"][3] = {{"code", "seen"}, {"label", "在场人员"}, {"kind", "people"}, {"max_chars", 9}}; },
       "fields[3].max_chars", "only text, person and registry_ref"},
      {"a tally that is text", [](json& d) { d["tallies"] = {"what"}; }, "tallies[0]", "only integer"},
      {"a tally not defined", [](json& d) { d["tallies"] = {"weight"}; }, "tallies[0]", "no field 'weight'"},
      {"version 0", [](json& d) { d["version"] = 0; }, "version", "not 1 or more"},
      {"a code with capitals", [](json& d) { d["code"] = "LostItem"; }, "code", "is not a code"},
      {"no label", [](json& d) { d["states"][0].erase("label"); }, "states[0].label", "is required"},
      {"nobody may create", [](json& d) { d.erase("who_may_create"); }, "who_may_create", "is required"},
  };
  for (const BadCase& c : cases) {
    json doc = lost_item();
    c.spoil(doc);
    auto d = parse(doc);
    ASSERT_FALSE(d.ok()) << c.name;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(d.error().field, c.field) << c.name << ": " << d.error().message;
    EXPECT_EQ(d.error().message.rfind("lost_item.json: ", 0), 0u) << c.name << ": " << d.error().message;
    EXPECT_NE(d.error().message.find(c.message), std::string::npos) << c.name << ": " << d.error().message;
  }
}

TEST(LedgerDefinition, APeopleFieldIsAlwaysPersonalAndTheVisitTypesHaveOne) {
  json doc = lost_item();
  doc["fields"].push_back({{"code", "seen"}, {"label", "在场人员"}, {"kind", "people"}});
  auto d = parse(doc);
  ASSERT_TRUE(d.ok()) << d.error().describe();
  const LedgerField* seen = d->field("seen");
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->kind, LedgerFieldKind::kPeople);
  EXPECT_STREQ(ledger_field_kind_name(seen->kind), "people");
  // Sealed and masked though the file did not say so.
  ASSERT_TRUE(seen->personal.has_value());
  EXPECT_EQ(*seen->personal, LedgerMask::kPeople);
  for (const char* type : {"rental_check", "home_visit"}) {
    const LedgerField* f = shipped_ledger(type).field("people_seen");
    ASSERT_NE(f, nullptr) << type;
    EXPECT_EQ(f->kind, LedgerFieldKind::kPeople) << type;
    EXPECT_EQ(f->personal, LedgerMask::kPeople) << type;
  }
}

TEST(LedgerDefinition, RefusesBrokenJsonAndRepeatedKeys) {
  auto broken = LedgerDefinition::parse_json("{\"code\": \"x\",", "x.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("x.json: not valid JSON"), std::string::npos) << broken.error().message;

  std::string text = lost_item().dump();
  text.insert(1, "\"label\": \"重复\", ");
  auto repeated = LedgerDefinition::parse_json(text, "x.json");
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().field, "label");
  EXPECT_NE(repeated.error().message.find("appears twice"), std::string::npos);

  EXPECT_FALSE(LedgerDefinition::parse_json("[]", "x.json").ok());
  EXPECT_FALSE(LedgerDefinition::parse_json("", "x.json").ok());
}

// followup.json is the incidents' follow-up loop (core/lifecycle.h) as a
// ledger type: among its states, a step leads from one to another exactly
// when is_allowed_transition() allows that move.
TEST(LedgerFollowupDefinition, AllowsExactlyTheLifecycleFollowUpTransitions) {
  const LedgerDefinition& d = shipped_ledger("followup");
  const IncidentStatus loop[] = {IncidentStatus::kHandled, IncidentStatus::kFollowUp, IncidentStatus::kFedBack,
                                 IncidentStatus::kVerified, IncidentStatus::kClosed};
  ASSERT_EQ(d.states().size(), std::size(loop));
  for (IncidentStatus s : loop) {
    const LedgerState* state = d.state(status_name(s));
    ASSERT_NE(state, nullptr) << status_name(s);
    EXPECT_EQ(state->label, status_name_zh(s)) << status_name(s);
  }
  EXPECT_EQ(d.initial_state().code, "handled");
  int allowed = 0;
  for (IncidentStatus from : loop)
    for (IncidentStatus to : loop) {
      bool by_steps = false;
      for (const LedgerStep* step : d.steps_from(status_name(from))) by_steps = by_steps || step->to == status_name(to);
      EXPECT_EQ(by_steps, is_allowed_transition(from, to)) << status_name(from) << " -> " << status_name(to);
      allowed += by_steps;
    }
  EXPECT_EQ(allowed, 6);  // task, close_directly, feed_back, verify, send_back, close
  EXPECT_EQ(d.step("verify")->verifies, "feed_back");
  EXPECT_TRUE(d.step("task")->assigns);
  EXPECT_TRUE(d.step("send_back")->assigns);  // like TransitionRequest: an assignee when to == followup
}

}  // namespace
}  // namespace pingan
