#include "json/stats_json.h"

#include <cmath>

namespace pingan {
namespace {

using nlohmann::json;

// Percentages as bulletins give them, to two decimals.
json percent(const std::optional<double>& v) {
  return v ? json(std::round(*v * 100.0) / 100.0) : json(nullptr);
}

json group_json(const analytics::StatsGroupInfo& g) {
  json out = {{"code", g.code}, {"name", g.name}};
  if (!g.name_en.empty()) out["name_en"] = g.name_en;
  return out;
}

json line_json(const analytics::OverviewLine& l, bool ranked) {
  json out = {{"code", l.code},
              {"name", l.name},
              {"count", l.count},
              {"yoy_count", l.yoy_count},
              {"yoy_change", l.yoy_change},
              {"yoy_change_pct", percent(l.yoy_change_pct)}};
  if (ranked) {
    out["rank"] = l.rank;
  } else {
    out["previous_count"] = l.previous_count;
    out["previous_change"] = l.previous_change;
    out["previous_change_pct"] = percent(l.previous_change_pct);
  }
  return out;
}

}  // namespace

json stats_to_json(const analytics::StatsResult& r, const TimeZone& zone) {
  const bool compared = r.compare != analytics::StatsCompare::kNone;
  const bool sub = r.then_by != analytics::StatsGroup::kNone;
  json out = {{"from", format_local(r.from, zone)},
              {"to", format_local(r.until, zone)},
              {"group_by", analytics::stats_group_name(r.group_by)},
              {"then_by", analytics::stats_group_name(r.then_by)},
              {"bucket", analytics::stats_bucket_name(r.bucket)},
              {"compare", analytics::stats_compare_name(r.compare)},
              {"source", r.from_cube ? "cube" : "scan"},
              {"total", r.total}};
  if (compared) {
    out["compare_from"] = format_local(*r.compare_from, zone);
    out["compare_to"] = format_local(*r.compare_until, zone);
    out["compare_total"] = r.compare_total.value_or(0);
    out["change"] = r.change.value_or(0);
    out["change_pct"] = percent(r.change_pct);
  }
  json groups = json::array(), subgroups = json::array(), buckets = json::array(), rows = json::array();
  for (const auto& g : r.groups) groups.push_back(group_json(g));
  if (sub)
    for (const auto& g : r.subgroups) subgroups.push_back(group_json(g));
  for (const auto& b : r.buckets) {
    json bucket = {{"start", format_local(b.start, zone)}, {"end", format_local(b.end, zone)}};
    if (b.bin >= 0) bucket["bin"] = b.bin;
    if (b.compare_start) {
      bucket["compare_start"] = format_local(*b.compare_start, zone);
      bucket["compare_end"] = format_local(*b.compare_end, zone);
    }
    buckets.push_back(std::move(bucket));
  }
  for (const auto& c : r.cells) {
    json row = {{"bucket", c.bucket},
                {"group", r.groups[static_cast<std::size_t>(c.group)].code},
                {"count", c.count}};
    if (sub) row["subgroup"] = r.subgroups[static_cast<std::size_t>(c.subgroup)].code;
    if (c.rank) row["rank"] = *c.rank;
    if (compared) {
      row["compare_count"] = c.base.value_or(0);
      row["change"] = c.change.value_or(0);
      row["change_pct"] = percent(c.change_pct);
    }
    rows.push_back(std::move(row));
  }
  out["groups"] = std::move(groups);
  if (sub) out["subgroups"] = std::move(subgroups);
  out["buckets"] = std::move(buckets);
  out["rows"] = std::move(rows);
  return out;
}

json overview_to_json(const analytics::CampaignOverview& o, const TimeZone& zone) {
  json classes = json::array(), units = json::array();
  for (const auto& l : o.classes) classes.push_back(line_json(l, false));
  for (const auto& l : o.units) units.push_back(line_json(l, true));
  return {{"from", format_local(o.from, zone)},
          {"to", format_local(o.until, zone)},
          {"yoy_from", format_local(o.yoy_from, zone)},
          {"yoy_to", format_local(o.yoy_until, zone)},
          {"previous_from", format_local(o.previous_from, zone)},
          {"previous_to", format_local(o.previous_until, zone)},
          {"source", o.from_cube ? "cube" : "scan"},
          {"total", line_json(o.total, false)},
          {"classes", std::move(classes)},
          {"units", std::move(units)}};
}

}  // namespace pingan
