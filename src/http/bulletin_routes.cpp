// GET /api/bulletins?unit=&from=&to=&template=&campaign=&campaign_start=&format=
// (issue 22; docs/api.md "Bulletins"): the bulletin of a unit and period
// written from the records (report/bulletin.h) as Markdown (default),
// a printable HTML page whose figures link to their records, a PDF or a .docx,
// or its figures as a workbook (xlsx; report/figure_workbook.h).
// A caller may ask for their own subtree only (no unit: theirs); another
// unit's is refused, as a figure is (its zeros would read as facts).
// PDF and .docx start Chromium or LibreOffice for a second or more: at most
// two run at once, and a third waits up to 30 s, then is told to retry (503).

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <semaphore>

#include "config/settings.h"
#include "core/bulletin_template.h"
#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/xlsx_download.h"
#include "report/bulletin.h"
#include "report/bulletin_docx.h"
#include "report/bulletin_html.h"
#include "report/bulletin_pdf.h"
#include "report/figure_workbook.h"
#include "report/scratch_dir.h"

namespace pingan {
namespace {

constexpr const char* kPdfType = "application/pdf";
constexpr const char* kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

std::counting_semaphore<2> converters{2};

Result<CivilTime> day_param(const HttpRequest& req, const char* key, bool required) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> text, single_param(req, key));
  if (!text) {
    if (required) return Error::invalid(key, "is required: a date such as 2026-06-24");
    return CivilTime{0, 0, 0};
  }
  CivilTime t;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%4d-%2d-%2d%c", &t.year, &t.month, &t.day, &tail) != 3 || !is_valid_civil(t))
    return Error::invalid(key, fmt::format("'{}' is not a date (2026-06-24)", *text));
  return t;
}

// A converter's file, read back for the answer (the scratch folder goes with it).
Result<std::string> converted(const std::string& html, const std::string& format) {
  if (!converters.try_acquire_for(std::chrono::seconds(30)))
    return Error::unavailable("two bulletins are being printed; try again in a moment");
  struct Release {
    ~Release() { converters.release(); }
  } release;
  PINGAN_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create("pingan-bulletin-http"));
  const std::string out = (scratch.path() / ("bulletin." + format)).string();
  if (format == "pdf") {
    PINGAN_RETURN_IF_ERROR(write_bulletin_pdf(html, out, PdfOptions{}));
  } else {
    PINGAN_RETURN_IF_ERROR(write_bulletin_docx(html, out, DocxOptions{}));
  }
  std::ifstream in(out, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<Reply> bulletin(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(
      refuse_unknown_params(r.http, {"unit", "from", "to", "template", "campaign", "campaign_start", "format"}));
  report::BulletinRequest request;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  request.unit = unit.value_or("");
  auto tree = ctx.engine.units();
  if (request.unit.empty() && !r.scope.all && r.scope.root_codes.size() == 1) request.unit = r.scope.root_codes.front();
  if (request.unit.empty()) return Error::invalid("unit", "is required: the unit whose bulletin to write");
  if (!r.scope.all && (!tree->find(request.unit) || !scope_holds(r.scope, request.unit, *tree)))
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", request.unit));
  PINGAN_ASSIGN_OR_RETURN(request.from, day_param(r.http, "from", true));
  PINGAN_ASSIGN_OR_RETURN(request.to, day_param(r.http, "to", true));
  PINGAN_ASSIGN_OR_RETURN(CivilTime start, day_param(r.http, "campaign_start", false));
  if (start.year != 0) request.campaign_start = start;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> tmpl, single_param(r.http, "template"));
  if (tmpl) request.template_name = *tmpl;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> campaign, single_param(r.http, "campaign"));
  request.campaign = campaign.value_or("");
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> format_param, single_param(r.http, "format"));
  const std::string format = format_param.value_or("md");
  if (format != "md" && format != "html" && format != "pdf" && format != "docx" && format != "xlsx")
    return Error::invalid("format", fmt::format("'{}' is not md, html, pdf, docx or xlsx", format));

  PINGAN_ASSIGN_OR_RETURN(auto incidents, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(auto cases, ctx.case_index());
  PINGAN_ASSIGN_OR_RETURN(auto ledgers, ctx.ledger_index());
  const report::BulletinSources sources{incidents.get(), cases.get(), ledgers.get(), tree};
  const std::shared_ptr<const config::Settings> settings = ctx.settings_now();
  const std::string data_dir = settings ? settings->data_dir : "";
  Reply reply{200, nullptr, {{"Cache-Control", "no-store"}}};
  const std::string file = fmt::format("bulletin-{}-{}{:02}{:02}", request.unit, request.to.year, request.to.month,
                                       request.to.day);
  if (format == "xlsx") {
    // The figures as a workbook: no converter, written in-process.
    PINGAN_ASSIGN_OR_RETURN(std::vector<report::SheetTable> tables,
                            report::bulletin_figure_tables(sources, data_dir, ctx.engine.time_zone(), request));
    PINGAN_ASSIGN_OR_RETURN(std::string bytes, report::xlsx_bytes(tables));
    return xlsx_reply(std::move(bytes), file);
  }
  PINGAN_ASSIGN_OR_RETURN(BulletinDocument doc,
                          report::make_bulletin(sources, data_dir, ctx.engine.time_zone(), request));
  if (format == "md") {
    reply.raw_body = bulletin_markdown(doc);
    reply.raw_content_type = "text/markdown; charset=utf-8";
    return reply;
  }
  BulletinHtmlOptions html_options;
  if (format == "docx") html_options.flavour = BulletinHtmlFlavour::kWordProcessor;
  const std::string html = bulletin_html(doc, html_options);
  if (format == "html") {
    // The page is self-contained (inline styles, nothing fetched): its own
    // policy, in place of the app's, lets it show styled when opened alone.
    reply.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'");
    reply.raw_body = html;
    reply.raw_content_type = "text/html; charset=utf-8";
    return reply;
  }
  PINGAN_ASSIGN_OR_RETURN(reply.raw_body, converted(html, format));
  reply.raw_content_type = format == "pdf" ? kPdfType : kDocxType;
  reply.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"", file, format));
  return reply;
}

}  // namespace

std::vector<Route> bulletin_routes(const ApiContext& ctx) {
  return {{"GET", "/api/bulletins", "stats.read", [&ctx](const RouteRequest& r) { return bulletin(ctx, r); }}};
}

}  // namespace pingan
