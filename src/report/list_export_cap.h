#pragma once
// The row cap of the list exports (incident_export.h, case_export.h): a
// workbook holds at most this many records; a bigger selection is refused
// with its count, so a bureau narrows the period or the units instead of
// receiving a file that silently stops part way.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "core/status.h"

namespace pingan::report {

inline constexpr std::size_t kMaxListExportRows = 100'000;

// "the selection holds 120345 incidents, more than the 100000 one workbook
// takes: narrow the period (from, to), the units or the types". `what` is
// the plural noun ("incidents", "cases").
inline Error too_many_rows(std::string_view what, std::int64_t count, std::size_t cap) {
  return Error::invalid("rows", fmt::format("the selection holds {} {}, more than the {} one workbook takes: "
                                            "narrow the period (from, to), the units or the types",
                                            count, what, cap));
}

}  // namespace pingan::report
