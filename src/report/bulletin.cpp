#include "report/bulletin.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <tuple>

#include "core/bulletin_template.h"
#include "core/taxonomy.h"

namespace pingan::report {
namespace {

namespace fs = std::filesystem;

fs::path bulletins_dir(const std::string& data_dir) {
  return fs::path(data_dir.empty() ? shipped_data_dir() : data_dir) / "bulletins";
}

Result<std::string> read_text(const fs::path& path, const char* field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid(field, fmt::format("cannot read {}", path.string()));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool before(const CivilTime& a, const CivilTime& b) {
  return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}

CivilTime day_of(const CivilTime& t) { return CivilTime{t.year, t.month, t.day, 0, 0, 0}; }

}  // namespace

Result<std::vector<std::string>> bulletin_template_names(const std::string& data_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(bulletins_dir(data_dir), ec))
    if (entry.path().extension() == ".md") names.push_back(entry.path().stem().string());
  if (ec) return Error::invalid("template", fmt::format("cannot list {}: {}", bulletins_dir(data_dir).string(), ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

Result<BulletinDocument> make_bulletin(const BulletinSources& sources, const std::string& data_dir,
                                       const TimeZone& zone, const BulletinRequest& request) {
  // The period, whole days of the bureau's calendar: [from 00:00, to + 1 day 00:00).
  const CivilTime from = day_of(request.from), last = day_of(request.to);
  if (!is_valid_civil(from)) return Error::invalid("from", "is not a date");
  if (!is_valid_civil(last)) return Error::invalid("to", "is not a date");
  if (before(last, from))
    return Error::invalid("to", fmt::format("{}-{:02}-{:02} is before from {}-{:02}-{:02}", last.year, last.month,
                                            last.day, from.year, from.month, from.day));

  // The template, checked against the figure names before anything is counted.
  PINGAN_ASSIGN_OR_RETURN(std::vector<std::string> templates, bulletin_template_names(data_dir));
  if (std::find(templates.begin(), templates.end(), request.template_name) == templates.end())
    return Error::invalid("template", fmt::format("no template '{}' in {} (there are: {})", request.template_name,
                                                  bulletins_dir(data_dir).string(), fmt::join(templates, ", ")));
  const fs::path dir = bulletins_dir(data_dir);
  PINGAN_ASSIGN_OR_RETURN(std::string list_text, read_text(dir / "figures.txt", "template"));
  PINGAN_ASSIGN_OR_RETURN(std::vector<BulletinFigureSpec> specs, parse_bulletin_figure_list(list_text, "figures.txt"));
  const std::vector<std::string> names = bulletin_figure_names(specs);
  const std::string file_name = request.template_name + ".md";
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_text(dir / file_name, "template"));
  PINGAN_ASSIGN_OR_RETURN(BulletinTemplate tmpl, parse_bulletin_template(text, file_name, names));

  // The unit, by code, in the tree: its name heads the bulletin.
  if (!sources.units) return Error::internal("a bulletin without the unit tree");
  const Unit* unit = sources.units->find(request.unit);
  if (!unit) return Error::invalid("unit", fmt::format("unknown unit '{}'", request.unit));

  // The day after the last, by the calendar (a zone's day need not be 24 h).
  const CivilTime after_last = utc_to_civil(civil_to_utc(last) + 86400);
  const Timestamp from_ts = zone.to_utc(from);
  const Timestamp to_ts = zone.to_utc(after_last);
  PINGAN_ASSIGN_OR_RETURN(auto figures, bulletin_figures(sources, request.unit, from_ts, to_ts));

  BulletinContext ctx;
  ctx.unit = unit->name;
  // A template that names the campaign reads "…专项行动战果通报" without one.
  ctx.campaign = request.campaign.empty() ? std::string(kDefaultCampaign) : request.campaign;
  ctx.from = from;
  ctx.to = last;
  ctx.campaign_start = request.campaign_start ? day_of(*request.campaign_start) : from;
  return render_bulletin(tmpl, figures, ctx);
}

}  // namespace pingan::report
