#pragma once
// Helpers for the importer tests: a fresh engine on a temporary SQLite
// file (a PostgreSQL schema on ctest's pg.* runs: test_store.h), fixture
// files, the rejects CSV read back, and stored incidents.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "ingest/importer.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {

inline std::unique_ptr<Engine> open_test_engine(const TempDir& dir) {
  EngineConfig config;
  config.db_location = test_store_location(dir, "pingan.db");
  auto engine = Engine::open(config);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().describe());
  return engine.ok() ? std::move(engine).value() : nullptr;
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

struct RejectRow {
  std::string file;
  long long line = 0;
  std::string field, reason, raw;
};

inline std::vector<RejectRow> read_rejects(const std::string& path) {
  auto text = ingest::read_whole_file(path);
  EXPECT_TRUE(text.ok()) << path;
  std::vector<RejectRow> rows;
  if (!text.ok()) return rows;
  ingest::CsvReader reader(*text);
  ingest::CsvRecord rec;
  EXPECT_TRUE(reader.next(rec));
  EXPECT_EQ(std::string(rec.raw), "file,line,field,reason,raw");
  while (reader.next(rec)) {
    EXPECT_EQ(rec.size(), 5u) << rec.raw;
    if (rec.size() != 5) continue;
    rows.push_back({std::string(rec[0]), std::stoll(std::string(rec[1])), std::string(rec[2]), std::string(rec[3]),
                    std::string(rec[4])});
  }
  return rows;
}

// The reject of a given line, or null.
inline const RejectRow* reject_at(const std::vector<RejectRow>& rows, long long line) {
  for (const auto& r : rows)
    if (r.line == line) return &r;
  return nullptr;
}

// Every stored incident of a source (voided included), by source_id.
inline std::map<std::string, Incident> stored_incidents(Engine& engine, const std::string& source) {
  std::map<std::string, Incident> out;
  IncidentFilter f;
  f.source = source;
  f.include_voided = true;
  f.limit = 1000;
  while (true) {
    auto page = engine.list_incidents(f);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().describe());
    if (!page.ok() || page->items.empty()) break;
    for (auto& inc : page->items) out[inc.source_id] = inc;
    f.offset += static_cast<std::int64_t>(page->items.size());
    if (f.offset >= page->total) break;
  }
  return out;
}

inline std::int64_t report_total(const ingest::ImportReport& r) {
  return r.imported + r.duplicates + r.rejected + r.corrections + r.corrections_unmatched;
}

}  // namespace pingan::testing
