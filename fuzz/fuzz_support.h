#pragma once
// What the fuzz targets share: the shipped settings read once per process,
// a fresh in-memory engine per input (so that every input meets the same
// state and a reproducer replays alone), a scratch folder for the importers'
// files, and a check that aborts, so that libFuzzer keeps the input.

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "config/settings.h"
#include "core/status.h"
#include "engine/engine.h"

namespace pingan::fuzz {

// Aborts with `what` when `ok` is false: a broken promise of the code under
// test, which libFuzzer then reports with the input.
inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

// A setup step that must work (the shipped settings, an empty database).
template <typename T>
T must(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz setup failed: %s: %s\n", what, result.error().describe().c_str());
    std::abort();
  }
  return std::move(result).value();
}
inline void must(Status status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz setup failed: %s: %s\n", what, status.error().describe().c_str());
    std::abort();
  }
}

// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The shipped data folder's settings (taxonomy, mappings, run cards ...),
// read once; log lines are silenced, they would drown libFuzzer's.
inline const config::Settings& settings() {
  static const config::Settings loaded = [] {
    spdlog::set_level(spdlog::level::off);
    return must(config::load_settings(""), "the shipped settings");
  }();
  return loaded;
}

// The bureau's zone of the shipped configuration.
inline const TimeZone& zone() {
  static const TimeZone z = must(TimeZone::locate("Asia/Shanghai"), "time zone");
  return z;
}

// An empty engine over a private in-memory SQLite database (a few
// milliseconds: the schema's migrations run on each).
inline std::unique_ptr<Engine> fresh_engine() {
  return must(Engine::open(EngineConfig{":memory:", "", "Asia/Shanghai"}, settings().taxonomy),
              "in-memory engine");
}

// A folder of this process under /tmp, removed when the process ends
// normally (a crash leaves it, with the file of the crashing input).
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pingan-fuzz-XXXXXX").string();
    check(mkdtemp(tmpl.data()) != nullptr, "mkdtemp");
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline const ScratchDir& scratch() {
  static const ScratchDir dir;
  return dir;
}

// Writes `bytes` to `path`, replacing it.
inline void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  check(static_cast<bool>(out), "writing the scratch file");
}

}  // namespace pingan::fuzz
