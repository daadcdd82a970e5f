// The layer order of src/ (docs/layers.txt, explained in docs/architecture.md)
// is kept by this test rather than by review: every `#include "folder/file.h"`
// in src/ must name its own folder or one its folder's line allows, every
// folder of src/ is declared, the declaration names only real folders and has
// no cycle, and every included header exists.
//
// Parsing and checking are small functions over text, so that the second test
// can feed them an in-memory tree with a violation and see it reported.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace pingan {
namespace {

namespace fs = std::filesystem;

// One line of docs/layers.txt.
struct LayerLine {
  std::string folder;
  std::vector<std::string> allowed;
  int line = 0;
};

struct Layers {
  std::vector<LayerLine> lines;
  std::vector<std::string> errors;  // malformed or repeated lines

  const LayerLine* find(std::string_view folder) const {
    for (const LayerLine& l : lines)
      if (l.folder == folder) return &l;
    return nullptr;
  }
};

// One `#include "…"` of a source file; `file` relative to src/.
struct Include {
  std::string file;
  int line = 0;
  std::string header;
};

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " ") + p;
  return out.empty() ? "nothing" : out;
}

// "folder: a b c" per line; '#' starts a comment; blank lines are skipped.
Layers parse_layers(std::string_view text) {
  Layers layers;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (words(line).empty()) continue;
    const std::string where = "docs/layers.txt:" + std::to_string(number) + ": ";
    const auto colon = line.find(':');
    const std::vector<std::string> name =
        words(std::string_view(line).substr(0, colon == std::string::npos ? line.size() : colon));
    if (colon == std::string::npos || name.size() != 1) {
      layers.errors.push_back(where + "expected `folder: allowed folders`, got `" + line + "`");
      continue;
    }
    if (layers.find(name[0])) {
      layers.errors.push_back(where + name[0] + " is declared twice");
      continue;
    }
    layers.lines.push_back({name[0], words(std::string_view(line).substr(colon + 1)), number});
  }
  return layers;
}

// The quoted includes of one file's text.
std::vector<Include> scan_includes(const std::string& file, std::string_view text) {
  static const std::regex kInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::vector<Include> out;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::smatch m;
    if (std::regex_search(line, m, kInclude)) out.push_back({file, number, m[1].str()});
  }
  return out;
}

// Every cycle of the declaration ("a -> b -> a"), found depth-first: a
// folder met again while it is still on the path closes one.
std::vector<std::string> find_cycles(const Layers& layers) {
  std::vector<std::string> cycles;
  std::map<std::string, int> state;  // 0 unseen, 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& folder) {
    state[folder] = 1;
    path.push_back(folder);
    for (const std::string& next : layers.find(folder)->allowed) {
      if (!layers.find(next)) continue;  // reported as undeclared
      if (state[next] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it)
          cycle += *it + " -> ";
        cycles.push_back("docs/layers.txt: cycle " + cycle + next);
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[folder] = 2;
  };
  for (const LayerLine& l : layers.lines)
    if (state[l.folder] == 0) visit(l.folder);
  return cycles;
}

// The declaration against the folders that exist under src/: every folder
// declared, every name a folder, and no folder reachable from itself.
std::vector<std::string> check_declaration(const Layers& layers,
                                           const std::set<std::string>& folders) {
  std::vector<std::string> errors = layers.errors;
  for (const std::string& folder : folders)
    if (!layers.find(folder))
      errors.push_back("src/" + folder + "/ is not declared in docs/layers.txt");
  for (const LayerLine& l : layers.lines) {
    const std::string where = "docs/layers.txt:" + std::to_string(l.line) + ": ";
    if (!folders.count(l.folder))
      errors.push_back(where + l.folder + " is not a folder under src/");
    for (const std::string& a : l.allowed)
      if (!layers.find(a))
        errors.push_back(where + l.folder + " allows " + a + ", which is not declared");
  }
  const std::vector<std::string> cycles = find_cycles(layers);
  errors.insert(errors.end(), cycles.begin(), cycles.end());
  return errors;
}

// Every include against the declaration; `headers` are the files under src/,
// relative to it ("store/sqlite/sqlite_store.h").
std::vector<std::string> check_includes(const Layers& layers, const std::vector<Include>& includes,
                                        const std::set<std::string>& headers) {
  std::vector<std::string> errors;
  for (const Include& inc : includes) {
    const std::string where = "src/" + inc.file + ":" + std::to_string(inc.line) + ": ";
    const auto slash = inc.file.find('/');
    if (slash == std::string::npos) {
      errors.push_back(where + "a file directly under src/ belongs to no layer");
      continue;
    }
    const std::string from = inc.file.substr(0, slash);
    if (inc.header.starts_with(".") || inc.header.find("/..") != std::string::npos) {
      errors.push_back(where + "relative include \"" + inc.header +
                       "\"; write it as folder/file.h");
      continue;
    }
    const auto header_slash = inc.header.find('/');
    if (header_slash == std::string::npos) {
      // "file.h" beside the including file: its own folder, so only existence matters.
      const std::string beside =
          fs::path(inc.file).parent_path().append(inc.header).generic_string();
      if (!headers.count(beside))
        errors.push_back(where + inc.header + " does not exist beside it");
      continue;
    }
    if (!headers.count(inc.header)) {
      errors.push_back(where + "src/" + inc.header + " does not exist");
      continue;
    }
    const std::string to = inc.header.substr(0, header_slash);
    const LayerLine* l = layers.find(from);
    if (to == from || !l) continue;  // an undeclared folder is reported by check_declaration
    if (std::find(l->allowed.begin(), l->allowed.end(), to) == l->allowed.end())
      errors.push_back(where + from + " may not include " + inc.header +
                       " (docs/layers.txt allows: " + joined(l->allowed) + ")");
  }
  return errors;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string listed(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& e : errors) out += "\n  " + e;
  return out;
}

TEST(LayersTest, EveryIncludeInSrcFollowsDocsLayers) {
  const fs::path root = PINGAN_SOURCE_DIR;
  const fs::path src = root / "src";
  const fs::path declaration = root / "docs" / "layers.txt";
  ASSERT_TRUE(fs::is_regular_file(declaration)) << declaration;
  const Layers layers = parse_layers(read_text(declaration));

  std::set<std::string> folders;
  for (const fs::directory_entry& e : fs::directory_iterator(src))
    if (e.is_directory()) folders.insert(e.path().filename().string());

  std::set<std::string> headers;  // every file, so that an include of a .cpp or .inc is found too
  std::vector<std::string> sources;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(src)) {
    if (!e.is_regular_file()) continue;
    const std::string relative = fs::relative(e.path(), src).generic_string();
    headers.insert(relative);
    const std::string ext = e.path().extension().string();
    if (ext == ".h" || ext == ".cpp") sources.push_back(relative);
  }
  std::sort(sources.begin(), sources.end());
  ASSERT_FALSE(sources.empty()) << src;

  std::vector<Include> includes;
  for (const std::string& file : sources) {
    std::vector<Include> found = scan_includes(file, read_text(src / file));
    includes.insert(includes.end(), found.begin(), found.end());
  }

  std::vector<std::string> errors = check_declaration(layers, folders);
  const std::vector<std::string> include_errors = check_includes(layers, includes, headers);
  errors.insert(errors.end(), include_errors.begin(), include_errors.end());
  EXPECT_TRUE(errors.empty()) << errors.size()
                              << " layer problem(s) (docs/layers.txt, docs/architecture.md):"
                              << listed(errors);
}

// The checks can fail: an in-memory tree with one violation of each kind.
TEST(LayersTest, ChecksReportViolations) {
  const Layers layers = parse_layers(
      "# a comment\n"
      "core:\n"
      "store: core   # trailing comment\n"
      "engine: core store\n"
      "http: core engine\n");
  ASSERT_TRUE(layers.errors.empty()) << listed(layers.errors);
  ASSERT_EQ(layers.lines.size(), 4u);
  EXPECT_EQ(layers.find("store")->allowed, std::vector<std::string>{"core"});
  EXPECT_EQ(layers.find("store")->line, 3);
  EXPECT_TRUE(layers.find("core")->allowed.empty());

  const std::set<std::string> folders = {"core", "store", "engine", "http"};
  EXPECT_TRUE(check_declaration(layers, folders).empty())
      << listed(check_declaration(layers, folders));

  const std::set<std::string> headers = {"core/status.h", "store/store.h", "engine/engine.h",
                                         "http/server.h", "store/sqlite/sqlite_store.h"};
  const std::vector<Include> includes =
      scan_includes("store/sqlite/sqlite_store.cpp",
                    "#include \"store/sqlite/sqlite_store.h\"\n"
                    "#include <vector>\n"
                    "#include \"core/status.h\"\n"
                    "  #  include \"http/server.h\"  // reaching up\n"
                    "#include \"engine/missing.h\"\n");
  ASSERT_EQ(includes.size(), 4u);
  EXPECT_EQ(includes[2].line, 4);
  EXPECT_EQ(includes[2].header, "http/server.h");

  const std::vector<std::string> errors = check_includes(layers, includes, headers);
  ASSERT_EQ(errors.size(), 2u) << listed(errors);
  EXPECT_EQ(errors[0],
            "src/store/sqlite/sqlite_store.cpp:4: store may not include http/server.h "
            "(docs/layers.txt allows: core)");
  EXPECT_EQ(errors[1], "src/store/sqlite/sqlite_store.cpp:5: src/engine/missing.h does not exist");

  // Undeclared folders, names that are not folders, undeclared allowed folders.
  const std::vector<std::string> declaration_errors = check_declaration(
      parse_layers("core:\nstore: core auth\ngone: core\n"), {"core", "store", "config"});
  const std::vector<std::string> expected = {
      "src/config/ is not declared in docs/layers.txt",
      "docs/layers.txt:2: store allows auth, which is not declared",
      "docs/layers.txt:3: gone is not a folder under src/",
  };
  EXPECT_EQ(declaration_errors, expected) << listed(declaration_errors);

  // A cycle, and malformed or repeated lines.
  const std::vector<std::string> cycle = check_declaration(
      parse_layers("core: engine\nstore: core\nengine: store\n"), {"core", "store", "engine"});
  ASSERT_EQ(cycle.size(), 1u) << listed(cycle);
  EXPECT_EQ(cycle[0], "docs/layers.txt: cycle core -> engine -> store -> core");
  const Layers bad = parse_layers("core\ncore:\ncore: store\n");
  ASSERT_EQ(bad.errors.size(), 2u) << listed(bad.errors);
  EXPECT_EQ(bad.errors[0], "docs/layers.txt:1: expected `folder: allowed folders`, got `core`");
  EXPECT_EQ(bad.errors[1], "docs/layers.txt:3: core is declared twice");
}

}  // namespace
}  // namespace pingan
