#pragma once
// Helpers shared by the unit tests: temporary folders, the path of the real
// datasets (which must exist: a missing file fails the test) and units.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/unit.h"

namespace pingan::testing {

// A fresh folder removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pingan-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// ../shared/data beside the repository, or $PINGAN_SHARED_DATA.
inline std::string shared_data_dir() {
  if (const char* env = std::getenv("PINGAN_SHARED_DATA")) return env;
  return std::string(PINGAN_SOURCE_DIR) + "/../shared/data";
}

// The path of a real dataset file; records a test failure when it is missing.
inline std::string shared_data_file(const std::string& relative) {
  std::string path = shared_data_dir() + "/" + relative;
  EXPECT_TRUE(std::filesystem::exists(path)) << "real dataset missing: " << path;
  return path;
}

// A unit named "<code>所"; with lat0/lon0, a 0.1° square boundary from there.
inline Unit test_unit(std::string code, std::string parent, UnitKind kind, double lat0 = 0, double lon0 = 0) {
  Unit u;
  u.code = std::move(code);
  u.name = u.code + "所";
  u.kind = kind;
  u.parent_code = std::move(parent);
  if (lat0 != 0)
    u.boundary = Boundary(
        {{{{lat0, lon0}, {lat0, lon0 + 0.1}, {lat0 + 0.1, lon0 + 0.1}, {lat0 + 0.1, lon0}, {lat0, lon0}}}});
  return u;
}

}  // namespace pingan::testing
