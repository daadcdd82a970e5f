// parse_bulletin_template (core/bulletin_template.h) over arbitrary bytes: it
// answers an error that names the template, or a template that renders
// (every figure with records and bases) to a document and Markdown without
// a crash; a refusal always says why.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/bulletin_template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> kNames = {"cases.solved", "incidents.criminal",
                                                  "incidents.public_order", "money.stopped",
                                                  "disputes.rate", "sweeps.officers"};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pingan::parse_bulletin_template(text, "fuzz.md", kNames);
  if (!parsed.ok()) {
    if (parsed.error().message.rfind("fuzz.md", 0) != 0) std::abort();  // names the template
    return 0;
  }
  std::map<std::string, pingan::BulletinFigureValue> figures;
  for (const auto& name : kNames) {
    pingan::BulletinFigureValue v;
    v.value = 1618;
    v.measure = "起";
    v.year_ago = 1902;
    v.previous = 1700;
    v.records = 1;
    v.link = "/#/x";
    figures[name] = v;
  }
  figures["money.stopped"].kind = pingan::BulletinFigureValue::Kind::kMoney;
  figures["disputes.rate"].kind = pingan::BulletinFigureValue::Kind::kRate;
  figures["disputes.rate"].whole = 2000;
  pingan::BulletinContext ctx{"分局", "行动", {2023, 6, 1}, {2023, 8, 24}, {2023, 6, 1}};
  auto doc = pingan::render_bulletin(*parsed, figures, ctx);
  if (!doc.ok()) {
    if (doc.error().message.empty()) std::abort();
    return 0;
  }
  (void)pingan::bulletin_markdown(*doc);
  return 0;
}
