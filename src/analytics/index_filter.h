#pragma once
// A RowFilter resolved against the index's dictionaries: unit ranges, a
// table of wanted types and a mask of wanted statuses, ready for tight loops.

#include <array>
#include <cstdint>

#include "analytics/incident_index.h"
#include "analytics/index_data.h"

namespace pingan::analytics {

struct ResolvedFilter {
  UnitRanges units;
  std::array<bool, 256> type_wanted{};  // by dense type index; never kUnknownType
  bool all_types = true;
  std::uint8_t status_mask = 0xFF;      // bit i: IncidentStatus i wanted
  bool all_statuses = true;
  Timestamp from = 0, until = 0;

  bool wants(const IndexColumns& rows, std::size_t r) const {
    return type_wanted[rows.type[r]] && (status_mask >> rows.status[r] & 1u);
  }
};

ResolvedFilter resolve_filter(const IndexData& data, const RowFilter& filter);

}  // namespace pingan::analytics
