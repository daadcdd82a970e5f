// The pure conversions under the HTTP API: request JSON to domain values,
// query strings to filters, and the scope narrowing by unit.

#include <gtest/gtest.h>

#include "core/unit.h"
#include "json/incident_json.h"
#include "http/incident_query.h"
#include "json/json_fields.h"
#include "http/request_scope.h"
#include "http/route.h"
#include "http/router.h"
#include "json/unit_json.h"

namespace pingan {
namespace {

using nlohmann::json;

const TimeZone& shanghai() {
  static TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  return zone;
}

TEST(HttpJsonTest, NewIncidentReadsEveryFieldAndDefaultsTheTime) {
  auto inc = new_incident_from_json(json{{"type", "theft"},
                                         {"location", {{"lat", 36.5}, {"lon", 117.25}}},
                                         {"address", "a"},
                                         {"unit", "U"},
                                         {"reporter_phone", "110"},
                                         {"description", "d"},
                                         {"source", "s"},
                                         {"source_id", "1"},
                                         {"case_number", "c"},
                                         {"original_code", "o"}},
                                    shanghai(), 1'700'000'000);
  ASSERT_TRUE(inc.ok()) << inc.error().describe();
  EXPECT_EQ(inc->type_code, "theft");
  EXPECT_EQ(inc->reported_at, 1'700'000'000);
  EXPECT_DOUBLE_EQ(inc->location->lat, 36.5);
  EXPECT_DOUBLE_EQ(inc->location->lon, 117.25);
  EXPECT_EQ(inc->unit_code, "U");
  EXPECT_EQ(inc->source_id, "1");
  EXPECT_EQ(inc->case_number, "c");
  EXPECT_EQ(inc->original_code, "o");
  // Null counts as absent.
  auto nulls = new_incident_from_json(
      json{{"type", "theft"}, {"location", nullptr}, {"address", nullptr}}, shanghai(), 5);
  ASSERT_TRUE(nulls.ok());
  EXPECT_FALSE(nulls->location.has_value());
}

TEST(HttpJsonTest, IncidentJsonCarriesEveryLifecycleSlot) {
  Taxonomy tax = Taxonomy::load_default().value();
  Incident inc;
  inc.id = 7;
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = civil_to_utc({2024, 6, 1, 0, 0, 0});
  inc.status = IncidentStatus::kFollowUp;
  inc.times.handled_at = inc.reported_at + 60;
  inc.followup = FollowUpTask{"李", inc.reported_at + 86400, "risk"};
  inc.voided = true;
  inc.void_reason = "dup";
  json j = incident_to_json(inc, IncidentJsonContext{tax, shanghai(), nullptr});
  EXPECT_EQ(j["reported_at"], "2024-06-01T08:00:00+08:00");
  EXPECT_EQ(j["times"]["handled_at"], "2024-06-01T08:01:00+08:00");
  EXPECT_EQ(j["times"].size(), 8u);
  EXPECT_EQ(j["followup"]["deadline"], "2024-06-02T08:00:00+08:00");
  EXPECT_EQ(j["status_zh"], "派单回访");
  EXPECT_EQ(j["void_reason"], "dup");
  EXPECT_TRUE(j["location"].is_null());
  EXPECT_TRUE(j["unit"].is_null());
}

TEST(HttpJsonTest, TransitionRequestDefaultsTheActorAndReadsTimes) {
  auto t = transition_from_json(json{{"to", "followup"},
                                     {"at", "2024-06-01 08:00"},
                                     {"assignee", "李"},
                                     {"deadline", "2024-06-02T00:00:00Z"}},
                                shanghai(), "api");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_EQ(t->to, IncidentStatus::kFollowUp);
  EXPECT_EQ(*t->at, civil_to_utc({2024, 6, 1, 0, 0, 0}));
  EXPECT_EQ(*t->deadline, civil_to_utc({2024, 6, 2, 0, 0, 0}));
  EXPECT_EQ(t->actor, "api");
  EXPECT_EQ(
      transition_from_json(json{{"to", "closed"}, {"extra", 1}}, shanghai(), "api").error().field,
      "extra");
  EXPECT_EQ(transition_from_json(json{{"at", "2024-06-01"}}, shanghai(), "api").error().field,
            "to");
}

TEST(HttpJsonTest, MalformedBodyNamesTheBytePosition) {
  auto r = parse_json_body(R"({"a": 1 "b": 2})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "body");
  EXPECT_NE(r.error().message.find("at byte 11"), std::string::npos) << r.error().message;
}

TEST(HttpJsonTest, QueryParametersBecomeAFilter) {
  std::multimap<std::string, std::string> params = {{"class", "criminal, traffic"},
                                                    {"type", "theft"},
                                                    {"type", "burglary"},
                                                    {"status", "received,closed"},
                                                    {"from", "2024-06-01"},
                                                    {"to", "2024-07-01T00:00:00Z"},
                                                    {"bbox", "117,36,118,37"},
                                                    {"limit", "20"},
                                                    {"offset", "40"},
                                                    {"unit", "JN"},
                                                    {"include_voided", "1"}};
  auto q = incident_query_from_params(params, shanghai());
  ASSERT_TRUE(q.ok()) << q.error().describe();
  const IncidentFilter& f = q->filter;
  EXPECT_EQ(f.class_codes, (std::vector<std::string>{"criminal", "traffic"}));
  EXPECT_EQ(f.type_codes, (std::vector<std::string>{"theft", "burglary"}));
  EXPECT_EQ(f.statuses,
            (std::vector<IncidentStatus>{IncidentStatus::kReceived, IncidentStatus::kClosed}));
  EXPECT_EQ(*f.from, civil_to_utc({2024, 5, 31, 16, 0, 0}));
  EXPECT_EQ(*f.until, civil_to_utc({2024, 7, 1, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(f.bbox->min_lon, 117);
  EXPECT_DOUBLE_EQ(f.bbox->max_lat, 37);
  EXPECT_EQ(f.limit, 20);
  EXPECT_EQ(f.offset, 40);
  EXPECT_TRUE(f.include_voided);
  EXPECT_EQ(q->unit_code, "JN");
  EXPECT_EQ(incident_query_from_params({{"limit", "1"}, {"limit", "2"}}, shanghai()).error().field,
            "limit");
}

TEST(HttpJsonTest, ScopeNarrowsToTheUnitInsideItAndToNothingBesideIt) {
  auto unit = [](std::string code, std::string parent) {
    Unit u;
    u.code = std::move(code);
    u.name = u.code;
    u.parent_code = std::move(parent);
    return u;
  };
  UnitTree tree =
      UnitTree::build({unit("B", ""), unit("S1", "B"), unit("S2", "B"), unit("S1-C1", "S1")})
          .value();
  auto s = narrow_scope(UnitScope::everything(), "S1", tree);
  EXPECT_FALSE(s->all);
  EXPECT_EQ(s->root_codes, std::vector<std::string>{"S1"});
  EXPECT_EQ(narrow_scope(UnitScope::subtree("S1"), "S1-C1", tree)->root_codes,
            std::vector<std::string>{"S1-C1"});
  EXPECT_EQ(narrow_scope(UnitScope::subtree("S1"), "B", tree)->root_codes,
            std::vector<std::string>{"S1"});
  auto beside = narrow_scope(UnitScope::subtree("S1"), "S2", tree);
  EXPECT_FALSE(beside->all);
  EXPECT_TRUE(beside->root_codes.empty());
  EXPECT_TRUE(narrow_scope(UnitScope::everything(), "", tree)->all);
  EXPECT_EQ(narrow_scope(UnitScope::everything(), "X", tree).error().field, "unit");
}

TEST(HttpJsonTest, RoutesMatchOneDecodedSegmentPerPlaceholder) {
  auto ok = [](const RouteRequest&) -> Result<Reply> { return Reply{}; };
  Router router({{"GET", "/api/incidents/{id}/events", "incidents.read", ok},
                 {"GET", "/api/openapi.json", "public", ok},
                 {"POST", "/api/patrol-units/{call_sign}/status", "patrol.write", ok}});
  auto events = router.find("GET", "/api/incidents/12/events");
  ASSERT_TRUE(events.ok() && events->has_value());
  EXPECT_EQ((*events)->path_params, std::vector<std::string>{"12"});
  EXPECT_FALSE(router.find("GET", "/api/incidents//events")->has_value());
  EXPECT_FALSE(router.find("GET", "/api/incidents/12/events/")->has_value());
  EXPECT_FALSE(router.find("GET", "/api/openapiXjson")->has_value());
  // An escaped slash stays inside its segment; a bad escape names the parameter.
  auto unit = router.find("POST", "/api/patrol-units/%E8%A5%BF%2F1/status");
  ASSERT_TRUE(unit.ok() && unit->has_value());
  EXPECT_EQ((*unit)->path_params, std::vector<std::string>{"西/1"});
  EXPECT_EQ(router.find("POST", "/api/patrol-units/%ZZ/status").error().field, "call_sign");
  EXPECT_EQ(router.methods_at("/api/patrol-units/x/status"), std::set<std::string>{"POST"});
  EXPECT_EQ(parse_id_param("12", "id").value(), 12);
  EXPECT_FALSE(parse_id_param("0", "id").ok());
  EXPECT_FALSE(parse_id_param("12x", "id").ok());
}

TEST(HttpJsonTest, BoundaryGeoJsonRoundTripsInLonLatOrder) {
  json poly =
      json::parse(R"({"type":"Polygon","coordinates":[[[117,36],[118,36],[118,37],[117,36]]]})");
  auto b = boundary_from_geojson(poly, "boundary");
  ASSERT_TRUE(b.ok()) << b.error().describe();
  EXPECT_TRUE(b->contains(GeoPoint{36.2, 117.7}));
  json out = boundary_to_geojson(*b);
  EXPECT_EQ(out["type"], "MultiPolygon");
  EXPECT_EQ(out["coordinates"][0], poly["coordinates"]);
  EXPECT_EQ(
      boundary_from_geojson(json{{"type", "Point"}, {"coordinates", {1, 2}}}, "g").error().field,
      "g.type");
  auto bad = boundary_from_geojson(
      json::parse(R"({"type":"Polygon","coordinates":[[[117,36],[118,96],[118,37]]]})"), "g");
  EXPECT_EQ(bad.error().field, "g.coordinates[0][1].lat");
}

}  // namespace
}  // namespace pingan
