// Every text field of every request body has a length limit (issue 16): one
// character over it is refused with 400 naming the field and the limit, a
// value at it is accepted, and docs/openapi.json states the same limit as
// maxLength. Limits count characters, not bytes: the values are written in
// Chinese (3 bytes a character) wherever the field allows it.

#include <fmt/format.h>

#include <fstream>
#include <functional>

#include "core/text_limits.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// `n` characters of `unit` (one character, any number of bytes).
std::string repeat(std::size_t n, const std::string& unit = "警") {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

// The time `t`, written with as many digits of a second's fraction as make it
// exactly `chars` characters long ("2024-06-01T00:30:00.000…0Z").
std::string long_time(Timestamp t, std::size_t chars) {
  std::string s = format_utc(t);
  s.pop_back();  // the Z
  s += '.';
  s += std::string(chars - s.size() - 1, '0');
  return s + 'Z';
}

json load_document() {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/docs/openapi.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// One text field: how to send a request with a value of n characters in it,
// what the refusal names, and where the document states the limit.
struct FieldCase {
  std::string name;      // for messages: "transition note"
  std::size_t limit;     // the constant of core/text_limits.h
  std::string field;     // the error's field
  std::string schema;    // JSON pointer to the property in docs/openapi.json
  std::function<std::string(std::size_t)> value;  // a valid value of n characters
  std::function<JsonResponse(const std::string&)> send;
  // False where a value at the limit is refused for another reason (an
  // incident type of 64 characters is no type of the taxonomy).
  bool accepted_at_limit = true;
};

class TextLimitsTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
    // Records whose keys are as long as a key may be, for the fields that
    // must name an existing one.
    JsonResponse unit = post("/api/units", json::array({{{"code", long_code_}, {"name", "长代码派出所"},
                                                         {"kind", "station"}, {"parent", "JN"}}}));
    ASSERT_EQ(unit.status, 200) << unit.raw;
    JsonResponse patrol = post("/api/patrol-units",
                               json::array({{{"call_sign", long_call_sign_}, {"kind", "car"},
                                             {"station", "JN-S01"}, {"status", "available"}}}));
    ASSERT_EQ(patrol.status, 200) << patrol.raw;
    JsonResponse posts = post("/api/posts", json::array({post_body(long_post_)}));
    ASSERT_EQ(posts.status, 200) << posts.raw;
  }

  static json post_body(const std::string& code) {
    return {{"code", code},
            {"name", "泉城路夜市夜巡点"},
            {"kind", "night"},
            {"station", "JN-S01"},
            {"location", {{"lat", 36.655}, {"lon", 117.12}}},
            {"hours", {{"start", "20:00"}, {"end", "02:00"}}}};
  }

  // A new incident reported two hours ago; its id.
  std::string new_incident() {
    JsonResponse r = post("/api/incidents", json{{"type", "theft"}, {"reported_at", format_utc(reported_)},
                                                 {"location", {{"lat", 36.62}, {"lon", 117.12}}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return std::to_string(r.body.value("id", std::int64_t{0}));
  }
  // A new incident moved to handled, ready for a follow-up task.
  std::string handled_incident() {
    const std::string id = new_incident();
    JsonResponse r = post("/api/incidents/" + id + "/transition", json{{"to", "handled"}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return id;
  }
  // A new available patrol unit (ASCII call sign, usable in a path).
  std::string new_patrol_unit() {
    const std::string call_sign = fmt::format("T{}", ++units_made_);
    JsonResponse r = post("/api/patrol-units", json::array({{{"call_sign", call_sign}, {"kind", "car"},
                                                             {"station", "JN-S01"}, {"status", "available"}}}));
    EXPECT_EQ(r.status, 200) << r.raw;
    return call_sign;
  }
  // A new patrol unit sent to a new incident; its call sign.
  std::string dispatched_unit() {
    const std::string call_sign = new_patrol_unit();
    JsonResponse r = post("/api/incidents/" + new_incident() + "/dispatch", json{{"units", {call_sign}}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return call_sign;
  }

  // Over the limit: 400 naming the field and the limit. At it: accepted.
  // The document states the same limit.
  void check(const FieldCase& c) {
    SCOPED_TRACE(c.name);
    const std::string over = c.value(c.limit + 1);
    ASSERT_EQ(utf8_length(over), c.limit + 1);
    JsonResponse refused = c.send(over);
    EXPECT_EQ(refused.status, 400) << refused.raw;
    EXPECT_EQ(refused.body["error"]["code"], "invalid_argument") << refused.raw;
    EXPECT_EQ(refused.body["error"]["field"], c.field) << refused.raw;
    const std::string why = fmt::format("is {} characters; the limit is {}", c.limit + 1, c.limit);
    EXPECT_NE(refused.body["error"].value("message", "").find(why), std::string::npos) << refused.raw;

    JsonResponse at_limit = c.send(c.value(c.limit));
    if (c.accepted_at_limit) {
      EXPECT_GE(at_limit.status, 200) << at_limit.raw;
      EXPECT_LT(at_limit.status, 300) << at_limit.raw;
    } else {
      EXPECT_EQ(at_limit.status, 400) << at_limit.raw;
      EXPECT_EQ(at_limit.body["error"].value("message", "").find("the limit is"), std::string::npos)
          << at_limit.raw;
    }

    const json* property = nullptr;
    if (doc_.contains(json::json_pointer(c.schema))) property = &doc_.at(json::json_pointer(c.schema));
    ASSERT_NE(property, nullptr) << c.schema << " is not in docs/openapi.json";
    EXPECT_EQ(property->value("maxLength", std::size_t{0}), c.limit) << c.schema;
  }

  std::function<std::string(std::size_t)> chinese() const {
    return [](std::size_t n) { return repeat(n); };
  }
  std::function<std::string(std::size_t)> digits() const {
    return [](std::size_t n) { return repeat(n, "1"); };
  }
  // A time `hours_ago` hours before now, padded to n characters.
  std::function<std::string(std::size_t)> time_ago(int hours_ago) const {
    const Timestamp t = now_utc() - hours_ago * 3600;
    return [t](std::size_t n) { return long_time(t, n); };
  }

  const json doc_ = load_document();
  const Timestamp reported_ = now_utc() - 2 * 3600;
  const std::string long_code_ = repeat(kMaxCodeChars, "所");
  const std::string long_call_sign_ = repeat(kMaxCodeChars, "巡");
  const std::string long_post_ = repeat(kMaxCodeChars, "岗");
  int units_made_ = 0;
  int incidents_made_ = 0;
};

TEST_F(TextLimitsTest, NewIncidentFields) {
  const std::string schema = "/components/schemas/NewIncident/properties/";
  auto with = [this](const char* key) {
    return [this, key](const std::string& v) {
      json body = {{"type", "theft"}, {"source_id", fmt::format("limits-{}", ++incidents_made_)}};
      body[key] = v;
      return post("/api/incidents", body);
    };
  };
  const std::vector<FieldCase> cases = {
      {"address", kMaxAddressChars, "address", schema + "address", chinese(), with("address")},
      {"description", kMaxDescriptionChars, "description", schema + "description", chinese(), with("description")},
      {"reporter_phone", kMaxPhoneChars, "reporter_phone", schema + "reporter_phone", digits(),
       with("reporter_phone")},
      {"reporter_name", kMaxNameChars, "reporter_name", schema + "reporter_name", chinese(), with("reporter_name")},
      // At its length a valid number (GB 11643 check character); longer is refused first for the length.
      {"reporter_id_number", kMaxIdNumberChars, "reporter_id_number", schema + "reporter_id_number",
       [](std::size_t n) { return n == 18 ? std::string("11010519491231002X") : repeat(n, "1"); },
       with("reporter_id_number")},
      {"source", kMaxCodeChars, "source", schema + "source", chinese(), with("source")},
      {"source_id", kMaxSourceRefChars, "source_id", schema + "source_id", chinese(), with("source_id")},
      {"case_number", kMaxSourceRefChars, "case_number", schema + "case_number", chinese(), with("case_number")},
      {"original_code", kMaxSourceRefChars, "original_code", schema + "original_code", chinese(),
       with("original_code")},
      {"reported_at", kMaxTimeChars, "reported_at", schema + "reported_at", time_ago(1), with("reported_at")},
      // The unit of the limit's length exists; one longer cannot.
      {"unit", kMaxCodeChars, "unit", schema + "unit", [](std::size_t n) { return repeat(n, "所"); },
       with("unit")},
      {"type", kMaxCodeChars, "type", schema + "type", chinese(), with("type"), /*accepted_at_limit=*/false},
  };
  for (const FieldCase& c : cases) check(c);
}

TEST_F(TextLimitsTest, TransitionAndFollowUpFields) {
  const std::string schema = "/components/schemas/TransitionRequest/properties/";
  auto handled_with = [this](const char* key) {
    return [this, key](const std::string& v) {
      json body = {{"to", "handled"}};
      body[key] = v;
      return post("/api/incidents/" + new_incident() + "/transition", body);
    };
  };
  const std::string deadline = format_utc(now_utc() + 3 * 86400);
  auto followup_with = [this, deadline](const char* key) {
    return [this, key, deadline](const std::string& v) {
      json body = {{"to", "followup"}, {"assignee", "社区民警 李"}, {"deadline", deadline}};
      body[key] = v;
      return post("/api/incidents/" + handled_incident() + "/transition", body);
    };
  };
  const Timestamp later = now_utc() + 2 * 86400;
  const std::vector<FieldCase> cases = {
      {"note", kMaxNoteChars, "note", schema + "note", chinese(), handled_with("note")},
      {"at", kMaxTimeChars, "at", schema + "at", time_ago(1), handled_with("at")},
      {"assignee", kMaxNameChars, "assignee", schema + "assignee", chinese(), followup_with("assignee")},
      {"follow-up note", kMaxNoteChars, "note", schema + "note", chinese(), followup_with("note")},
      {"deadline", kMaxTimeChars, "deadline", schema + "deadline",
       [later](std::size_t n) { return long_time(later, n); }, followup_with("deadline")},
  };
  for (const FieldCase& c : cases) check(c);
}

TEST_F(TextLimitsTest, UnitFields) {
  const std::string array = "/components/schemas/UnitInput/properties/";
  const std::string feature =
      "/components/schemas/UnitFeatureCollection/properties/features/items/properties/properties/properties/";
  int made = 0;
  // A station under JN, or under the long-coded station when the parent is the field.
  auto unit = [&made](const char* key, const std::string& v) {
    json u = {{"code", fmt::format("U{}", ++made)}, {"name", "测试所"}, {"kind", "community"}, {"parent", "JN"}};
    u[key] = v;
    return u;
  };
  auto as_array = [this, unit](const char* key) {
    return [this, unit, key](const std::string& v) { return post("/api/units", json::array({unit(key, v)})); };
  };
  auto as_features = [this, unit](const char* key) {
    return [this, unit, key](const std::string& v) {
      json fc = {{"type", "FeatureCollection"},
                 {"features", json::array({{{"type", "Feature"}, {"properties", unit(key, v)}, {"geometry", nullptr}}})}};
      return post("/api/units", fc);
    };
  };
  auto parent = [](std::size_t n) { return repeat(n, "所"); };  // the long-coded station exists
  const std::vector<FieldCase> cases = {
      {"code", kMaxCodeChars, "code", array + "code", chinese(), as_array("code")},
      {"name", kMaxNameChars, "name", array + "name", chinese(), as_array("name")},
      {"parent", kMaxCodeChars, "parent", array + "parent", parent, as_array("parent")},
      {"feature code", kMaxCodeChars, "code", feature + "code", [](std::size_t n) { return repeat(n, "区"); },
       as_features("code")},
      {"feature name", kMaxNameChars, "name", feature + "name", chinese(), as_features("name")},
      {"feature parent", kMaxCodeChars, "parent", feature + "parent", parent, as_features("parent")},
  };
  for (const FieldCase& c : cases) check(c);
}

TEST_F(TextLimitsTest, PatrolUnitFields) {
  const std::string schema = "/components/schemas/PatrolUnitInput/properties/";
  int made = 0;
  auto with = [this, &made](const char* key) {
    return [this, key, &made](const std::string& v) {
      json u = {{"call_sign", fmt::format("R{}", ++made)}, {"kind", "car"}, {"station", "JN-S01"}};
      if (std::string(key) == "roles") u["roles"] = {v};
      else u[key] = v;
      return post("/api/patrol-units", json::array({u}));
    };
  };
  const std::vector<FieldCase> cases = {
      {"call_sign", kMaxCodeChars, "call_sign", schema + "call_sign", chinese(), with("call_sign")},
      {"station", kMaxCodeChars, "station", schema + "station", [](std::size_t n) { return repeat(n, "所"); },
       with("station")},
      {"roles", kMaxRoleChars, "roles[0]", schema + "roles/items", chinese(), with("roles")},
  };
  for (const FieldCase& c : cases) check(c);
}

TEST_F(TextLimitsTest, DutyArrivalClearingAndDispatchFields) {
  auto duty_with = [this](const char* key) {
    return [this, key](const std::string& v) {
      json body = {{"on_duty", true}};
      body[key] = v;
      return post("/api/patrol-units/" + new_patrol_unit() + "/duty", body);
    };
  };
  auto step_with = [this](const char* step, const char* key) {
    return [this, step, key](const std::string& v) {
      json body = {{key, v}};
      return post(fmt::format("/api/patrol-units/{}/{}", dispatched_unit(), step), body);
    };
  };
  auto dispatch_with = [this](const char* key) {
    return [this, key](const std::string& v) {
      json body = {{"units", {new_patrol_unit()}}};
      body[key] = v;
      return post("/api/incidents/" + new_incident() + "/dispatch", body);
    };
  };
  const std::string duty = "/components/schemas/DutyRequest/properties/";
  const std::string step = "/components/schemas/UnitStep/properties/";
  const std::string dispatch = "/components/schemas/DispatchRequest/properties/";
  // Arrival and clearing come after the dispatch, which is now.
  const std::function<std::string(std::size_t)> soon = [t = now_utc() + 120](std::size_t n) { return long_time(t, n); };
  const std::vector<FieldCase> cases = {
      {"duty at", kMaxTimeChars, "at", duty + "at", time_ago(0), duty_with("at")},
      {"arrive at", kMaxTimeChars, "at", step + "at", soon, step_with("arrive", "at")},
      {"clear at", kMaxTimeChars, "at", step + "at", soon, step_with("clear", "at")},
      {"dispatch at", kMaxTimeChars, "at", dispatch + "at", time_ago(1), dispatch_with("at")},
  };
  for (const FieldCase& c : cases) check(c);

  // units[i]: the unit with the longest call sign can be sent; a longer name is refused as too long.
  JsonResponse over = post("/api/incidents/" + new_incident() + "/dispatch",
                           json{{"units", {new_patrol_unit(), repeat(kMaxCodeChars + 1, "巡")}}});
  EXPECT_EQ(over.status, 400) << over.raw;
  EXPECT_EQ(over.body["error"]["field"], "units[1]") << over.raw;
  EXPECT_EQ(over.body["error"]["message"],
            fmt::format("is {} characters; the limit is {}", kMaxCodeChars + 1, kMaxCodeChars));
  JsonResponse at_limit = post("/api/incidents/" + new_incident() + "/dispatch", json{{"units", {long_call_sign_}}});
  EXPECT_EQ(at_limit.status, 200) << at_limit.raw;
  EXPECT_EQ(doc_.at(json::json_pointer(dispatch + "units/items")).value("maxLength", 0u), kMaxCodeChars);
}

TEST_F(TextLimitsTest, PostAndShiftFields) {
  const std::string post_schema = "/components/schemas/PatrolPostInput/properties/";
  int made = 0;
  auto post_with = [this, &made](std::string key) {
    return [this, key, &made](const std::string& v) {
      json p = post_body(fmt::format("N{}", ++made));
      if (key == "start" || key == "end") p["hours"][key] = v;
      else p[key] = v;
      return post("/api/posts", json::array({p}));
    };
  };
  // HH:MM is five characters; a sixth (a leading zero) is one too many.
  auto hour = [](std::string hhmm) {
    return [hhmm](std::size_t n) { return std::string(n - hhmm.size(), '0') + hhmm; };
  };
  const std::string shift_schema = "/paths/~1api~1shifts/post/requestBody/content/application~1json/schema/properties/";
  const Timestamp start = now_utc() - 5 * 3600;
  auto shift_with = [this, start](std::string key) {
    return [this, key, start](const std::string& v) {
      json s = {{"call_sign", long_call_sign_},
                {"start", format_utc(start)},
                {"end", format_utc(start + 4 * 3600)},
                {"crew", 2},
                {"post", long_post_}};
      s[key] = v;
      return post("/api/shifts", s);
    };
  };
  const std::vector<FieldCase> cases = {
      {"post code", kMaxCodeChars, "posts[0].code", post_schema + "code", chinese(), post_with("code")},
      {"post name", kMaxNameChars, "posts[0].name", post_schema + "name", chinese(), post_with("name")},
      {"post station", kMaxCodeChars, "posts[0].station", post_schema + "station",
       [](std::size_t n) { return repeat(n, "所"); }, post_with("station")},
      {"post hours start", kMaxHourChars, "posts[0].hours.start", post_schema + "hours/properties/start", hour("20:00"),
       post_with("start")},
      {"post hours end", kMaxHourChars, "posts[0].hours.end", post_schema + "hours/properties/end", hour("02:00"),
       post_with("end")},
      {"shift call_sign", kMaxCodeChars, "call_sign", shift_schema + "call_sign",
       [](std::size_t n) { return repeat(n, "巡"); }, shift_with("call_sign")},
      {"shift post", kMaxCodeChars, "post", shift_schema + "post", [](std::size_t n) { return repeat(n, "岗"); },
       shift_with("post")},
      {"shift start", kMaxTimeChars, "start", shift_schema + "start", time_ago(5), shift_with("start")},
      {"shift end", kMaxTimeChars, "end", shift_schema + "end", time_ago(1), shift_with("end")},
  };
  for (const FieldCase& c : cases) check(c);
}

// A batch of positions refuses a bad report, not the batch (AVL terminals
// send many at once): a call sign or time over the limit is refused as
// invalid, naming the field and the limit.
TEST_F(TextLimitsTest, PositionReportFields) {
  const std::string schema = "/components/schemas/PositionReport/properties/";
  EXPECT_EQ(doc_.at(json::json_pointer(schema + "call_sign")).value("maxLength", 0u), kMaxCodeChars);
  EXPECT_EQ(doc_.at(json::json_pointer(schema + "at")).value("maxLength", 0u), kMaxTimeChars);
  const Timestamp t = now_utc() - 600;
  auto report = [](const std::string& call_sign, const std::string& at) {
    return json{{"call_sign", call_sign}, {"at", at}, {"lat", 36.655}, {"lon", 117.15}};
  };
  JsonResponse r = post("/api/positions",
                        json{{"reports",
                              {report(repeat(kMaxCodeChars + 1, "巡"), format_utc(t)),
                               report(long_call_sign_, long_time(t + 1, kMaxTimeChars + 1)),
                               report(long_call_sign_, long_time(t + 2, kMaxTimeChars))}}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 1) << r.raw;
  ASSERT_EQ(r.body["refused"].size(), 2u) << r.raw;
  EXPECT_EQ(r.body["refused"][0]["reason"], "invalid");
  EXPECT_EQ(r.body["refused"][0]["message"],
            fmt::format("call_sign is {} characters; the limit is {}", kMaxCodeChars + 1, kMaxCodeChars));
  EXPECT_EQ(r.body["refused"][1]["reason"], "invalid");
  EXPECT_EQ(r.body["refused"][1]["message"],
            fmt::format("at: is {} characters; the limit is {}", kMaxTimeChars + 1, kMaxTimeChars));
}

// The error reads exactly as issue 16 gives it.
TEST_F(TextLimitsTest, TheErrorNamesTheFieldAndTheLimit) {
  JsonResponse r = post("/api/incidents/" + new_incident() + "/transition",
                        json{{"to", "handled"}, {"note", repeat(5000, "x")}});
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body, json::parse(R"({"error":{"code":"invalid_argument","field":"note",
                                    "message":"is 5000 characters; the limit is 2000"}})"));
}

TEST(TextLimits, CountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("派出所"), 3u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x9A\x93 car"), 5u);  // 🚓 is one character of four bytes
  EXPECT_TRUE(check_length("name", "派出所", 3).ok());
  Status over = check_length("name", "派出所a", 3);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().field, "name");
  EXPECT_EQ(over.error().message, "is 4 characters; the limit is 3");
  Status bad = check_length("name", "\xC3(", 10);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "is not valid UTF-8");
}

}  // namespace
}  // namespace pingan::testing
