#include "analytics/index_filter.h"

namespace pingan::analytics {

ResolvedFilter resolve_filter(const IndexData& data, const RowFilter& filter) {
  ResolvedFilter out;
  out.units = data.catalog.ranges(filter.scope);
  out.from = filter.from;
  out.until = filter.until;
  out.all_types = filter.class_codes.empty() && filter.type_codes.empty();
  if (out.all_types) {
    out.type_wanted.fill(true);
  } else {
    // A type is wanted when it passes both lists (an empty list passes all).
    for (std::size_t t = 0; t < data.types.size(); ++t) {
      bool class_ok = filter.class_codes.empty();
      for (const std::string& c : filter.class_codes)
        class_ok = class_ok || data.types[t].class_code == c;
      bool type_ok = filter.type_codes.empty();
      for (const std::string& code : filter.type_codes) type_ok = type_ok || data.types[t].code == code;
      out.type_wanted[t] = class_ok && type_ok;
    }
  }
  out.all_statuses = filter.statuses.empty();
  if (!out.all_statuses) {
    out.status_mask = 0;
    for (IncidentStatus s : filter.statuses)
      out.status_mask = static_cast<std::uint8_t>(out.status_mask | (1u << static_cast<unsigned>(s)));
  } else {
    out.status_mask = 0x7F | 0x80;  // every status; dead rows never reach a filter
  }
  // Rows whose type the taxonomy does not know (it changed under old
  // records) count in no statistic, so that scans and the cube agree.
  out.type_wanted[kUnknownType] = false;
  return out;
}

}  // namespace pingan::analytics
