#include "core/fraud_methods.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr std::string_view kHeader = "code,name_zh,name_en";

bool is_code(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Result<FraudMethods> FraudMethods::parse_csv(std::string_view text, const std::string& origin) {
  FraudMethods out;
  bool header_seen = false;
  int line_no = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // "CSV UTF-8" from a spreadsheet
  auto bad = [&](const char* column, const std::string& why) {
    return Error::invalid(column, fmt::format("{}:{}: {}", origin, line_no, why));
  };
  for (std::string_view raw : split_lines(text)) {
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      if (line != kHeader) return bad("header", fmt::format("the first row must be '{}'", kHeader));
      header_seen = true;
      continue;
    }
    const std::vector<std::string_view> cells = split(line, ',');
    if (cells.size() != 3) return bad("header", fmt::format("{} columns; a row has 3 ({})", cells.size(), kHeader));
    FraudMethod m{std::string(trim(cells[0])), std::string(trim(cells[1])), std::string(trim(cells[2]))};
    if (!is_code(m.code))
      return bad("code", fmt::format("'{}' is not a code (lower-case letters, digits and '_')", m.code));
    if (Status st = check_length("code", m.code, kMaxCodeChars); !st.ok()) return bad("code", st.error().message);
    if (m.name_zh.empty()) return bad("name_zh", fmt::format("method '{}' has no Chinese name", m.code));
    if (Status st = check_length("name_zh", m.name_zh, kMaxNameChars); !st.ok())
      return bad("name_zh", st.error().message);
    if (out.index_.count(m.code)) return bad("code", fmt::format("method '{}' is named twice", m.code));
    out.index_.emplace(m.code, out.methods_.size());
    out.methods_.push_back(std::move(m));
  }
  if (!header_seen) return Error::invalid("header", fmt::format("{}: no header row '{}'", origin, kHeader));
  return out;
}

const FraudMethod* FraudMethods::find(std::string_view code) const {
  auto it = index_.find(std::string(code));
  return it == index_.end() ? nullptr : &methods_[it->second];
}

Status check_fraud_method(const CaseRecord& record, const CaseTypes& types, const FraudMethods& methods) {
  if (record.fraud_method.empty()) return Status::ok_status();
  if (!methods.find(record.fraud_method))
    return Error::invalid("fraud_method", fmt::format("unknown fraud method '{}'", record.fraud_method));
  if (!types.in_group(record.type_code, kFraudGroup))
    return Error::invalid("fraud_method",
                          fmt::format("case type '{}' is not a fraud type (group '{}'), so it takes no method",
                                      record.type_code, kFraudGroup));
  return Status::ok_status();
}

}  // namespace pingan
