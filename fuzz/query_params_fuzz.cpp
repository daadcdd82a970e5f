// Query parameters as the routes read them: the input is a query string
// (parsed by parse_query), read by incident_query_from_params (GET
// /api/incidents), whose filter then runs on a small store, and by the
// shared readers of http/query_params.h (single, int, number and time
// parameters, the period of the statistics routes, unknown names).
//
// Checked: every refusal is invalid_argument naming the parameter; what is
// accepted is what the reader promises (a bounding box in range with its
// minimum below its maximum, a finite number, a period whose times parse);
// the store answers the filter or refuses it as invalid, and a page holds
// no more than its limit.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz_support.h"
#include "http/incident_query.h"
#include "http/query_params.h"
#include "http/query_string.h"

namespace {

using namespace pingan;

// Three incidents, written once: list_incidents only reads.
Engine& store() {
  static std::unique_ptr<Engine> engine = [] {
    auto e = fuzz::fresh_engine();
    for (int i = 0; i < 3; ++i) {
      Incident inc;
      inc.type_code = i == 0 ? "theft" : "fraud";
      inc.reported_at = 1'790'000'000 + i * 86'400;
      if (i < 2) inc.location = GeoPoint{36.66 + i * 0.01, 117.02};
      fuzz::must(e->create_incident(inc, "fuzz"), "an incident");
    }
    return e;
  }();
  return *engine;
}

void refused_by_name(const Error& e) {
  fuzz::check(e.code == ErrorCode::kInvalidArgument && !e.field.empty(),
              "a refusal names its parameter");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto params = parse_query(fuzz::as_text(data, size));
  if (!params.ok()) return 0;
  const TimeZone& zone = fuzz::zone();

  if (auto q = incident_query_from_params(*params, zone); q.ok()) {
    const IncidentFilter& f = q->filter;
    if (f.bbox)
      fuzz::check(f.bbox->min_lat <= f.bbox->max_lat && f.bbox->min_lon <= f.bbox->max_lon &&
                      f.bbox->min_lat >= -90 && f.bbox->max_lat <= 90 && f.bbox->min_lon >= -180 &&
                      f.bbox->max_lon <= 180,
                  "a bbox is in range, minimum below maximum");
    auto page = store().list_incidents(f);
    if (page.ok()) {
      fuzz::check(page->items.size() <= static_cast<std::size_t>(f.limit),
                  "a page holds at most its limit");
      fuzz::check(page->total >= static_cast<std::int64_t>(page->items.size()),
                  "total counts the page");
    } else {
      fuzz::check(page.error().code == ErrorCode::kInvalidArgument,
                  "a filter the store refuses is invalid");
    }
  } else {
    refused_by_name(q.error());
  }

  HttpRequest req;
  req.params = *params;
  if (auto st = refuse_unknown_params(req, {"unit", "from", "to", "limit", "alpha"}); !st.ok())
    refused_by_name(st.error());
  if (auto v = single_param(req, "unit"); !v.ok()) refused_by_name(v.error());
  if (auto v = int_param(req, "limit"); !v.ok()) refused_by_name(v.error());
  if (auto v = number_param(req, "alpha"); v.ok()) {
    fuzz::check(!*v || std::isfinite(**v), "a number is finite");
  } else {
    refused_by_name(v.error());
  }
  if (auto p = read_period(req, zone, 28); p.ok()) {
    // Both ends are real times: the local midnights around them exist.
    (void)local_midnight(zone, p->from, 1);
    (void)local_midnight(zone, p->until, 0);
  } else {
    refused_by_name(p.error());
  }
  for (const auto& [key, value] : *params)
    if (auto flag = parse_flag(value, "include_voided"); !flag.ok()) refused_by_name(flag.error());
  return 0;
}
