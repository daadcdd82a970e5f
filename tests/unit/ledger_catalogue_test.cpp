#include "engine/ledger_catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/ledger_clock.h"
#include "core/ledger_rates.h"
#include "core/taxonomy.h"
#include "ledger_test_support.h"
#include "test_support.h"

namespace pingan {
namespace {

using namespace pingan::testing;

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(LedgerCatalogue, EveryShippedFileLoads) {
  auto catalogue = LedgerCatalogue::load();
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().describe();
  std::vector<std::string> codes;
  for (const LedgerDefinition& d : catalogue->list()) codes.push_back(d.code());
  EXPECT_EQ(codes, (std::vector<std::string>{"dispute", "floating_check", "followup", "hazard", "home_visit",
                                             "inspection", "publicity", "rental_check", "sweep"}));
  // One file per type, named after its code.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(shipped_data_dir() + "/" + kLedgersDir))
    if (e.path().extension() == ".json") {
      ++files;
      const LedgerDefinition* d = catalogue->find(e.path().stem().string());
      ASSERT_NE(d, nullptr) << e.path();
      EXPECT_EQ(d->source_name(), e.path().filename().string());
    }
  EXPECT_EQ(files, codes.size());
  EXPECT_EQ(catalogue->find("dispute")->label(), "矛盾纠纷");
  EXPECT_EQ(catalogue->find("hazard")->label(), "隐患");
  EXPECT_EQ(catalogue->find("missing"), nullptr);
  auto missing = catalogue->require("missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("known: dispute, floating_check"), std::string::npos);
  // The steps that open other items name types of the catalogue.
  EXPECT_EQ(catalogue->find("inspection")->step("open_hazard")->opens, "hazard");
  EXPECT_EQ(catalogue->find("home_visit")->step("open_dispute")->opens, "dispute");
  // Tallies the brief names: sweeps' officer-shifts and volunteers, publicity's livestream audience.
  const auto& sweep = catalogue->find("sweep")->tallies();
  EXPECT_NE(std::find(sweep.begin(), sweep.end(), "officer_shifts"), sweep.end());
  const auto& publicity = catalogue->find("publicity")->tallies();
  EXPECT_NE(std::find(publicity.begin(), publicity.end(), "livestream_audience"), publicity.end());
}

TEST(LedgerCatalogue, ErrorsNameTheFile) {
  TempDir dir;
  std::string shipped = shipped_data_dir() + "/" + kLedgersDir;
  std::filesystem::copy_file(shipped + "/dispute.json", dir.file("dispute.json"));
  write(dir.file("broken.json"), "{\"code\": \"broken\", \"labl\": 1}");
  auto broken = LedgerCatalogue::load_folder(dir.path().string());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message.rfind("broken.json: ", 0), 0u) << broken.error().message;
  EXPECT_NE(broken.error().message.find("unknown key 'labl'"), std::string::npos);

  // The same code in two files.
  std::filesystem::remove(dir.file("broken.json"));
  std::filesystem::copy_file(shipped + "/dispute.json", dir.file("dispute_copy.json"));
  auto twice = LedgerCatalogue::load_folder(dir.path().string());
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("code 'dispute' is already the code of dispute"), std::string::npos)
      << twice.error().message;

  // A step that opens a type the folder does not hold.
  std::filesystem::remove(dir.file("dispute_copy.json"));
  std::filesystem::copy_file(shipped + "/inspection.json", dir.file("inspection.json"));
  auto opens = LedgerCatalogue::load_folder(dir.path().string());
  ASSERT_FALSE(opens.ok());
  EXPECT_NE(opens.error().message.find("inspection.json: steps[0].opens: no ledger type 'hazard'"), std::string::npos)
      << opens.error().message;

  EXPECT_FALSE(LedgerCatalogue::load_folder(dir.file("nowhere")).ok());
  TempDir empty;
  EXPECT_FALSE(LedgerCatalogue::load_folder(empty.path().string()).ok());
}

// A type that exists only in this test — 护学岗 (officers posted at a school
// gate at opening and closing hours) — added as a file beside the shipped
// ones, run end to end with no code of its own: created, assigned, done,
// checked by another officer, closed, clocked and counted.
constexpr const char* kSchoolGuard = R"json({
  "comment": "护学岗: a post at a school gate, checked by the station's duty leader.",
  "code": "school_guard", "label": "护学岗", "version": 1,
  "who_may_create": ["station"],
  "fields": [
    {"code": "school", "label": "学校", "kind": "registry_ref", "registry": "place", "required": true},
    {"code": "shift", "label": "时段", "kind": "enum", "required": true,
     "values": [{"code": "morning", "label": "早高峰"}, {"code": "evening", "label": "晚高峰"}]},
    {"code": "officers", "label": "在岗警力(人次)", "kind": "count", "max": 50},
    {"code": "parents_helped", "label": "护送学生(人次)", "kind": "count"},
    {"code": "remarks", "label": "情况记载", "kind": "text", "max_chars": 500}
  ],
  "states": [
    {"code": "planned", "label": "已排班", "initial": true, "counts_as": ["planned"]},
    {"code": "on_post", "label": "在岗", "counts_as": ["planned"]},
    {"code": "done", "label": "已完成", "counts_as": ["planned", "done"]},
    {"code": "checked", "label": "已核查", "counts_as": ["planned", "done", "checked"]},
    {"code": "closed", "label": "已归档", "final": true, "counts_as": ["planned", "done", "checked", "closed"]},
    {"code": "missed", "label": "缺岗", "final": true, "counts_as": ["planned", "missed"]}
  ],
  "steps": [
    {"code": "post", "label": "上岗", "from": ["planned"], "to": "on_post", "who": ["community", "station"],
     "assigns": true},
    {"code": "finish", "label": "下岗", "from": ["on_post"], "to": "done", "who": ["community", "station"],
     "fields": ["officers"]},
    {"code": "check", "label": "核查", "from": ["done"], "to": "checked", "who": ["station"], "verifies": "finish"},
    {"code": "archive", "label": "归档", "from": ["checked"], "to": "closed", "who": ["station"]},
    {"code": "miss", "label": "记缺岗", "from": ["planned"], "to": "missed", "who": ["station"]}
  ],
  "deadlines": [
    {"code": "on_time", "label": "到岗时限", "start_state": "planned", "until": ["on_post", "missed"], "due": "30m",
     "remind_before": "10m", "escalations": [{"code": "supervise", "label": "督办", "after": "0"},
                                             {"code": "listed", "label": "挂牌督办", "after": "2h"}]}
  ],
  "tallies": ["officers", "parents_helped"]
})json";

TEST(LedgerCatalogue, ATypeDefinedOnlyInTheTestRunsEndToEnd) {
  TempDir dir;
  for (const auto& e : std::filesystem::directory_iterator(shipped_data_dir() + "/" + kLedgersDir))
    std::filesystem::copy_file(e.path(), dir.path() / e.path().filename());
  write(dir.file("school_guard.json"), kSchoolGuard);
  auto catalogue = LedgerCatalogue::load_folder(dir.path().string());
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().describe();
  EXPECT_EQ(catalogue->list().size(), 10u);
  auto found = catalogue->require("school_guard");
  ASSERT_TRUE(found.ok());
  const LedgerDefinition& d = **found;

  // Ten posts planned for 07:00; seven done and checked, one on post, one missed, one still planned.
  std::vector<LedgerItem> items;
  for (int i = 0; i < 10; ++i) {
    NewLedgerItem n;
    n.unit_code = "S01";
    n.actor = "值班所领导";
    n.actor_grants = {"station"};
    n.at = kLedgerT0;
    n.fields = {{"school", std::string("PLACE-SCH-00" + std::to_string(i))}, {"shift", std::string("morning")}};
    auto created = create_ledger_item(d, n);
    ASSERT_TRUE(created.ok()) << created.error().describe();
    LedgerItem item = std::move(created).value();
    item.id = 100 + i;
    if (i < 8) {
      StepRequest post = step_request("post", "民警" + std::to_string(i), "community", kLedgerT0 + 20 * 60);
      post.unit_code = "S01";
      post.officer_id = "民警" + std::to_string(i);
      item = must_step(d, item, post);
    }
    if (i < 7) {
      item = must_step(d, item, step_request("finish", "民警" + std::to_string(i), "community", kLedgerT0 + 2 * kHour,
                                             {{"officers", std::int64_t{2}}, {"parents_helped", std::int64_t{30 + i}}}));
      // The officer who stood the post cannot check it.
      auto own = apply_step(d, item, step_request("check", "民警" + std::to_string(i), "station",
                                                  kLedgerT0 + 3 * kHour));
      ASSERT_FALSE(own.ok());
      EXPECT_EQ(own.error().code, ErrorCode::kConflict);
      item = must_step(d, item, step_request("check", "值班所领导", "station", kLedgerT0 + 3 * kHour));
      item = must_step(d, item, step_request("archive", "值班所领导", "station", kLedgerT0 + 3 * kHour));
      EXPECT_EQ(item.state, "closed");
    }
    if (i == 8) item = must_step(d, item, step_request("miss", "值班所领导", "station", kLedgerT0 + kHour));
    items.push_back(std::move(item));
  }

  // A step this type does not allow from 已排班: 409 naming its steps.
  auto wrong = apply_step(d, items[9], step_request("archive", "值班所领导", "station", kLedgerT0 + kHour));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kConflict);
  EXPECT_NE(wrong.error().message.find("allowed steps: post (上岗), miss (记缺岗)"), std::string::npos)
      << wrong.error().message;

  // The still-planned post is overdue (30 min), 督办 at once, 挂牌督办 two hours later.
  auto dues = ledger_dues(d, items[9], kLedgerT0 + kHour);
  ASSERT_EQ(dues.size(), 1u);
  EXPECT_EQ(dues[0].state, LedgerDueState::kOverdue);
  EXPECT_EQ(dues[0].escalation->label, "督办");
  EXPECT_EQ(ledger_dues(d, items[9], kLedgerT0 + 30 * 60 + 2 * kHour)[0].escalation->label, "挂牌督办");
  EXPECT_EQ(ledger_dues(d, items[0], kLedgerT0 + kHour)[0].state, LedgerDueState::kMet);  // on post at 07:20

  auto counts = count_ledger_items(d, items);
  ASSERT_TRUE(counts.ok()) << counts.error().describe();
  EXPECT_EQ(counts->tag("planned"), 10);
  EXPECT_EQ(counts->tag("closed"), 7);
  EXPECT_EQ(counts->tag("missed"), 1);
  EXPECT_EQ(ledger_tag_rate(*counts, "closed", "planned")->percent, "70.00");
  auto sums = sum_ledger_tallies(d, items);
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(sums->at("officers"), 14);
  EXPECT_EQ(sums->at("parents_helped"), 30 * 7 + 21);  // 30 + 31 + ... + 36
}

}  // namespace
}  // namespace pingan
