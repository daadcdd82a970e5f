#pragma once
// Methods of telecom and online fraud (电诈手法: 刷单返利, 冒充客服, 虚假投资理财
// ...), the second axis of a fraud bulletin ("刷单返利类诈骗占发案总数的 35%").
// Data, not code: data/cases/fraud_methods.csv, one row per method:
//
//   code,name_zh,name_en
//   brushing_rebate,刷单返利,Fake order brushing with rebates
//
// A case carries a method only when its type is in the group `fraud`
// (kFraudGroup): a method on a theft is a typing mistake, refused rather than
// counted. A fraud case may carry none (not yet known when it is opened).

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/case_record.h"
#include "core/case_types.h"
#include "core/status.h"

namespace pingan {

// The case group whose types may carry a method.
inline constexpr std::string_view kFraudGroup = "fraud";

struct FraudMethod {
  std::string code;     // "brushing_rebate"
  std::string name_zh;  // "刷单返利"
  std::string name_en;
};

class FraudMethods {
 public:
  // Parses the file's text; errors start "origin:line:" and name the column
  // ("header", "code", "name_zh").
  static Result<FraudMethods> parse_csv(std::string_view text, const std::string& origin);

  const FraudMethod* find(std::string_view code) const;
  const std::vector<FraudMethod>& methods() const { return methods_; }

 private:
  std::vector<FraudMethod> methods_;
  std::unordered_map<std::string, size_t> index_;
};

// Checks a case's fraud_method: empty, or a known method on a case whose type
// is in kFraudGroup. Errors name the field "fraud_method".
Status check_fraud_method(const CaseRecord& record, const CaseTypes& types, const FraudMethods& methods);

inline constexpr const char* kFraudMethodsFile = "cases/fraud_methods.csv";

}  // namespace pingan
