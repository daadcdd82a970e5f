// GET /api/case-figures/records (issue 22): the records behind a case
// figure, the list a bulletin's case figure links to. On a real server and
// store: the total equals GET /api/case-figures's value for the same query
// (the rows' amounts add up to a money figure), pages cover the list once,
// the person is masked, an unknown figure is a 400 naming "name", and a
// station asking for another unit is refused.

#include <fmt/format.h>

#include <set>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// ID numbers with correct GB 11643 check characters (as http_cases_test.cpp).
constexpr const char* kLiQiang = "370102198807151239";
constexpr const char* kZhaoGang = "370103199203045612";
constexpr const char* kWithX = "37010419800101107X";

class HttpCaseFigureRecordsTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
  }

  std::string open_case(const std::string& number, const std::string& type, const std::string& unit,
                        const std::string& at) {
    JsonResponse r = post("/api/cases", json{{"case_number", number},
                                             {"type", type},
                                             {"unit", unit},
                                             {"summary", "简要案情"},
                                             {"opened_at", at}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<std::int64_t>()) : "0";
  }
  void caught(const std::string& case_id, const std::string& name, const std::string& id_number,
              const std::string& unit, const std::string& at) {
    JsonResponse party = post("/api/cases/" + case_id + "/parties",
                              json{{"person", {{"name", name}, {"id_number", id_number}}}, {"role", "suspect"}});
    ASSERT_EQ(party.status, 201) << party.raw;
    JsonResponse m = post("/api/cases/" + case_id + "/measures",
                          json{{"person_id", party.body["person_id"]}, {"kind", "caught"}, {"at", at}, {"unit", unit}});
    ASSERT_EQ(m.status, 201) << m.raw;
  }
  void stopped(const std::string& case_id, std::int64_t fen, const std::string& unit, const std::string& at) {
    JsonResponse r = post("/api/cases/" + case_id + "/money",
                          json{{"kind", "stopped"}, {"amount_fen", fen}, {"at", at}, {"unit", unit}});
    ASSERT_EQ(r.status, 201) << r.raw;
  }

  // May 2026 in three units: criminal and administrative cases, one
  // suspect caught in two cases (one person of the figure), money stopped;
  // and April's and June's distractors.
  void fill() {
    const std::string a = open_case("A-2026-0501", "telecom_fraud_case", "JN-S01", "2026-05-01T09:00:00+08:00");
    const std::string b = open_case("A-2026-0502", "burglary", "JN-S01", "2026-05-03T09:00:00+08:00");
    const std::string c = open_case("A-2026-0503", "burglary", "JN-S01-C01", "2026-05-10T09:00:00+08:00");
    const std::string d = open_case("A-2026-0504", "intentional_injury", "JN-S02", "2026-05-12T09:00:00+08:00");
    open_case("A-2026-0505", "admin_theft", "JN-S01", "2026-05-20T09:00:00+08:00");
    open_case("A-2026-0506", "admin_battery", "JN-S02", "2026-05-31T23:59:59+08:00");
    open_case("A-2026-0430", "burglary", "JN-S01", "2026-04-30T23:59:59+08:00");
    open_case("A-2026-0601", "burglary", "JN-S01", "2026-06-01T00:00:00+08:00");
    caught(a, "李强", kLiQiang, "JN-S01", "2026-05-02T10:00:00+08:00");
    caught(b, "李强", kLiQiang, "JN-S01", "2026-05-04T10:00:00+08:00");  // the same person again
    caught(b, "赵刚", kZhaoGang, "JN-S01-C01", "2026-05-05T10:00:00+08:00");
    caught(d, "钱伟", kWithX, "JN-S02", "2026-05-13T10:00:00+08:00");
    caught(c, "赵刚", kZhaoGang, "JN-S01", "2026-06-02T10:00:00+08:00");  // June
    stopped(a, 3'000'000, "JN-S01", "2026-05-01T10:30:00+08:00");
    stopped(a, 1'234'567, "JN-S01", "2026-05-02T10:30:00+08:00");
    stopped(d, 99, "JN-S02", "2026-05-12T10:30:00+08:00");
  }

  static std::string query(const std::string& name, const std::string& unit, const std::string& cls) {
    std::string q = "name=" + name + "&from=2026-05-01&to=2026-06-01";
    if (!unit.empty()) q += "&unit=" + unit;
    if (!cls.empty()) q += "&class=" + cls;
    return q;
  }
};

TEST_F(HttpCaseFigureRecordsTest, TheTotalIsTheFiguresValueAndAmountsAddUpToMoney) {
  fill();
  int nonzero = 0;
  for (const char* name : {"cases_opened", "suspects_caught", "money_stopped_fen", "case_money_involved_fen"})
    for (const char* unit : {"", "JN", "JN-S01", "JN-S02"})
      for (const char* cls : {"", "criminal", "administrative"}) {
        const std::string q = query(name, unit, cls);
        JsonResponse figure = get("/api/case-figures?" + q);
        ASSERT_EQ(figure.status, 200) << q << figure.raw;
        JsonResponse records = get("/api/case-figures/records?" + q + "&limit=500");
        ASSERT_EQ(records.status, 200) << q << records.raw;
        const std::int64_t value = figure.body["value"].get<std::int64_t>();
        EXPECT_EQ(records.body["figure"]["value"], value) << q;
        EXPECT_EQ(records.body["figure"]["title_zh"], figure.body["title_zh"]) << q;
        const json& rows = records.body["records"];
        if (std::string(name).ends_with("_fen")) {
          std::int64_t sum = 0;
          for (const json& row : rows) sum += row["amount_fen"].get<std::int64_t>();
          EXPECT_EQ(sum, value) << q;
        } else {
          EXPECT_EQ(records.body["total"], value) << q;
          EXPECT_EQ(rows.size(), static_cast<std::size_t>(value)) << q;
        }
        if (value > 0) ++nonzero;
      }
  EXPECT_GT(nonzero, 20);
  // Known values: 4 criminal cases in May for JN (the administrative two
  // apart); 3 persons caught (李强 once although caught twice), 2 of them
  // in JN-S01's subtree; 42,345.67 元 stopped.
  EXPECT_EQ(get("/api/case-figures/records?" + query("cases_opened", "JN", "criminal")).body["total"], 4);
  EXPECT_EQ(get("/api/case-figures/records?" + query("suspects_caught", "JN", "")).body["total"], 3);
  EXPECT_EQ(get("/api/case-figures/records?" + query("suspects_caught", "JN-S01", "")).body["total"], 2);
  EXPECT_EQ(get("/api/case-figures/records?" + query("money_stopped_fen", "", "")).body["figure"]["value"],
            4'234'666);
}

TEST_F(HttpCaseFigureRecordsTest, RowsNameTheCaseAndMaskThePerson) {
  fill();
  JsonResponse r = get("/api/case-figures/records?" + query("suspects_caught", "JN-S01", "criminal"));
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& rows = r.body["records"];
  ASSERT_EQ(rows.size(), 2u) << r.raw;
  // 李强's first capture (case A-2026-0501), then 赵刚's in A-2026-0502.
  EXPECT_EQ(rows[0]["kind"], "measure.caught");
  EXPECT_EQ(rows[0]["record"], "case");
  EXPECT_EQ(rows[0]["case_number"], "A-2026-0501");
  EXPECT_EQ(rows[0]["type"], "telecom_fraud_case");
  EXPECT_EQ(rows[0]["unit"], "JN-S01");
  EXPECT_EQ(rows[0]["at"], "2026-05-02T10:00:00+08:00");
  EXPECT_EQ(rows[1]["case_number"], "A-2026-0502");
  EXPECT_EQ(rows[1]["unit"], "JN-S01-C01");
  EXPECT_EQ(rows[0]["case_id"], rows[0]["record_id"]);
  EXPECT_EQ(get("/api/cases/" + std::to_string(rows[0]["case_id"].get<std::int64_t>())).body["case_number"],
            "A-2026-0501");
  // Masked as the case detail masks: neither the name nor the number whole.
  EXPECT_EQ(r.raw.find("李强"), std::string::npos) << r.raw;
  EXPECT_EQ(r.raw.find(kLiQiang), std::string::npos) << r.raw;
  EXPECT_TRUE(rows[0]["person"]["name"].is_string()) << r.raw;
}

TEST_F(HttpCaseFigureRecordsTest, PagesCoverTheListOnce) {
  fill();
  const std::string q = query("cases_opened", "JN", "");
  std::vector<std::int64_t> paged;
  for (int offset = 0; offset < 10; offset += 2) {
    JsonResponse page = get(fmt::format("/api/case-figures/records?{}&limit=2&offset={}", q, offset));
    ASSERT_EQ(page.status, 200) << page.raw;
    EXPECT_EQ(page.body["total"], 6);
    EXPECT_EQ(page.body["offset"], std::min(offset, 6));
    EXPECT_LE(page.body["records"].size(), 2u);
    for (const json& row : page.body["records"]) paged.push_back(row["record_id"].get<std::int64_t>());
  }
  std::vector<std::int64_t> whole;
  const JsonResponse all = get("/api/case-figures/records?" + q);
  for (const json& row : all.body["records"]) whole.push_back(row["record_id"].get<std::int64_t>());
  EXPECT_EQ(whole.size(), 6u);
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(std::set<std::int64_t>(whole.begin(), whole.end()).size(), 6u);
  JsonResponse bad = get("/api/case-figures/records?" + q + "&limit=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.value("/error/field"_json_pointer, std::string()), "limit");
}

TEST_F(HttpCaseFigureRecordsTest, AnUnknownFigureIs400NamingItAndAnotherUnitIs403) {
  fill();
  JsonResponse bad = get("/api/case-figures/records?name=cases_found&from=2026-05-01&to=2026-06-01");
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(bad.body.value("/error/field"_json_pointer, std::string()), "name");
  EXPECT_NE(bad.body.value("/error/message"_json_pointer, std::string()).find("cases_found"), std::string::npos);

  auto station = role_client("wang.s01", "JN-S01", "station");
  auto other = to_json_response(station->Get(("/api/case-figures/records?" + query("cases_opened", "JN-S02", "")).c_str()));
  EXPECT_EQ(other.status, 403) << other.raw;
  auto own = to_json_response(station->Get(("/api/case-figures/records?" + query("cases_opened", "", "")).c_str()));
  ASSERT_EQ(own.status, 200) << own.raw;
  EXPECT_EQ(own.body["figure"]["unit"], "JN-S01");
  EXPECT_EQ(own.body["total"], 4);  // S01 and its community: 0501, 0502, 0503, 0505
  // An administrator reads statistics, not cases.
  auto admin = role_client("root.jn", "JN", "admin");
  EXPECT_EQ(to_json_response(admin->Get(("/api/case-figures/records?" + query("cases_opened", "", "")).c_str())).status,
            403);
}

}  // namespace
}  // namespace pingan::testing
