// pingan report bulletin: the bulletin of a unit and period written from the
// records (issue 22; report/bulletin.h), as Markdown (default, to stdout),
// a printable HTML page, PDF (headless Chromium) or .docx (LibreOffice), or
// its figures as an .xlsx workbook (report/figure_workbook.h).
// Everything is checked before a file is written: an unknown unit or
// template, an empty or inverted period, a template naming an unknown
// figure end with the error and no file.

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <memory>

#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "cli/bulletin_schedule_runner.h"
#include "cli/commands.h"
#include "config/settings.h"
#include "core/bulletin_template.h"
#include "ledger/ledger_attach.h"
#include "report/bulletin.h"
#include "report/bulletin_docx.h"
#include "report/bulletin_html.h"
#include "report/bulletin_pdf.h"
#include "report/figure_workbook.h"
#include "report/scratch_dir.h"

namespace pingan::cli {
namespace {

struct BulletinCliOptions {
  DatabaseOptions db;
  std::string unit, from, to, campaign, campaign_start, out, base_url;
  std::string template_name = "campaign";
  std::string format = "md";
};

Result<CivilTime> parse_day(const std::string& text, const char* field) {
  CivilTime t;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &t.year, &t.month, &t.day, &tail) != 3 || !is_valid_civil(t))
    return Error::invalid(field, fmt::format("'{}' is not a date (2026-06-24)", text));
  return t;
}

// Whole or not at all, as the PDF and .docx writers put theirs.
Status write_text_file(const std::string& path, const std::string& text) {
  PINGAN_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create("pingan-bulletin"));
  const auto produced = scratch.path() / "bulletin";
  {
    std::ofstream out(produced, std::ios::binary);
    out << text;
    if (!out.flush()) return Error::internal(fmt::format("cannot write {}", produced.string()));
  }
  return install_output_file(produced, path);
}

void run_bulletin(const BulletinCliOptions& o) {
  report::BulletinRequest request;
  request.template_name = o.template_name;
  request.unit = o.unit;
  request.campaign = o.campaign;
  for (const auto& [text, field, out] : {std::tuple{&o.from, "from", &request.from}, std::tuple{&o.to, "to", &request.to}}) {
    auto day = parse_day(*text, field);
    if (!day.ok()) return report_error(day.error());
    *out = *day;
  }
  if (!o.campaign_start.empty()) {
    auto day = parse_day(o.campaign_start, "campaign-start");
    if (!day.ok()) return report_error(day.error());
    request.campaign_start = *day;
  }
  if (o.format != "md" && o.format != "html" && o.format != "pdf" && o.format != "docx" && o.format != "xlsx")
    return report_error(Error::invalid("format", fmt::format("'{}' is not md, html, pdf, docx or xlsx", o.format)));
  if ((o.format == "pdf" || o.format == "docx" || o.format == "xlsx") && o.out.empty())
    return report_error(
        Error::invalid("out", fmt::format("{} {} bulletin needs --out FILE", o.format == "xlsx" ? "an" : "a", o.format)));
  if (!o.out.empty()) {
    if (Status st = check_output_path(o.out); !st.ok()) return report_error(st.error());
  }

  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  auto incidents = attach_index_with_progress(*engine);
  if (!incidents.ok()) return report_error(incidents.error());
  auto cases = cases::attach_case_index(*engine);
  if (!cases.ok()) return report_error(cases.error());
  auto ledgers = ledger::attach_ledger_index(*engine);
  if (!ledgers.ok()) return report_error(ledgers.error());
  report::BulletinSources sources{incidents->get(), cases->get(), ledgers->get(), engine->units()};

  const auto started = std::chrono::steady_clock::now();
  if (o.format == "xlsx") {
    // The figures as a workbook (report/figure_workbook.h): the bulletin's numbers.
    report::FigureWorkbookOptions xlsx_options;
    xlsx_options.base_url = o.base_url;
    Status st = report::write_bulletin_figures_xlsx(sources, o.db.data_dir, engine->time_zone(), request, o.out,
                                                    xlsx_options);
    if (!st.ok()) return report_error(st.error());
    using ms = std::chrono::duration<double, std::milli>;
    fmt::print(stderr, "{} bulletin figures of {}: xlsx {:.1f} ms -> {}\n", o.template_name, o.unit,
               ms(std::chrono::steady_clock::now() - started).count(), o.out);
    return;
  }
  auto document = report::make_bulletin(sources, o.db.data_dir, engine->time_zone(), request);
  if (!document.ok()) return report_error(document.error());
  const auto made = std::chrono::steady_clock::now();

  Status written;
  if (o.format == "md") {
    const std::string md = bulletin_markdown(*document);
    if (o.out.empty()) fmt::print("{}", md);
    else written = write_text_file(o.out, md);
  } else {
    BulletinHtmlOptions html_options;
    html_options.base_url = o.base_url;
    if (o.format == "docx") html_options.flavour = BulletinHtmlFlavour::kWordProcessor;
    const std::string html = bulletin_html(*document, html_options);
    if (o.format == "html") {
      if (o.out.empty()) fmt::print("{}", html);
      else written = write_text_file(o.out, html);
    } else if (o.format == "pdf") {
      written = write_bulletin_pdf(html, o.out, PdfOptions{});
    } else {
      written = write_bulletin_docx(html, o.out, DocxOptions{});
    }
  }
  if (!written.ok()) return report_error(written.error());
  const auto done = std::chrono::steady_clock::now();
  using ms = std::chrono::duration<double, std::milli>;
  fmt::print(stderr, "{} bulletin of {} ({} sections): figures and text {:.1f} ms, {} {:.1f} ms{}\n",
             o.template_name, o.unit, document->sections.size(), ms(made - started).count(), o.format,
             ms(done - made).count(), o.out.empty() ? "" : " -> " + o.out);
}

struct ScheduleCliOptions {
  DatabaseOptions db;
  std::string at, bulletin_dir;
};

// pingan report schedule: one round of the scheduled bulletins at --at (now
// by default), as `pingan serve` does every minute; for cron and for tests.
void run_schedule(const ScheduleCliOptions& o) {
  std::shared_ptr<const config::Settings> settings;
  auto engine = open_engine_or_report(o.db, &settings);
  if (!engine) return;
  Timestamp at = now_utc();
  if (!o.at.empty()) {
    auto parsed = parse_iso8601(o.at, &engine->time_zone());
    if (!parsed.ok()) return report_error(Error::invalid("at", fmt::format("'{}' is not a time such as 2026-10-31T08:00 ({})", o.at, parsed.error().message)));
    at = *parsed;
  }
  if (settings->bulletin_schedule.runs.empty()) {
    fmt::print("no scheduled bulletins in {}/{}\n", settings->data_dir, config::kBulletinScheduleFile);
    return;
  }
  const auto folder = bulletin_folder(settings->bulletin_schedule, o.db.db, o.bulletin_dir);
  // The indexes are read from the database once, and only when a file is missing.
  std::shared_ptr<analytics::IncidentIndex> incidents;
  std::shared_ptr<cases::CaseIndex> cases;
  std::shared_ptr<ledger::LedgerIndex> ledgers;
  report::BulletinInputs inputs;
  inputs.units = [&] { return engine->units(); };
  inputs.sources = [&]() -> Result<report::BulletinSources> {
    PINGAN_ASSIGN_OR_RETURN(incidents, attach_index_with_progress(*engine));
    PINGAN_ASSIGN_OR_RETURN(cases, cases::attach_case_index(*engine));
    PINGAN_ASSIGN_OR_RETURN(ledgers, ledger::attach_ledger_index(*engine));
    return report::BulletinSources{incidents.get(), cases.get(), ledgers.get(), engine->units()};
  };
  const report::BulletinRound round = report::run_due_bulletins(settings->bulletin_schedule, settings->data_dir, folder,
                                                                engine->time_zone(), inputs, at);
  for (const std::string& path : round.written) fmt::print("written: {}\n", path);
  fmt::print("{} written, {} already there, {} failed (folder {})\n", round.written.size(), round.present,
             round.failures.size(), folder.string());
  for (const std::string& failure : round.failures) fmt::print(stderr, "错误 error: {}\n", failure);
  if (!round.failures.empty()) set_exit_code(1);
}

}  // namespace

void add_report_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("report", "reports written from the records");
  cmd->require_subcommand(1);
  auto o = std::make_shared<BulletinCliOptions>();
  CLI::App* b = cmd->add_subcommand("bulletin", "a bulletin (战果通报, 周报, 警情日报) of a unit and period, "
                                                "every figure from the records (data/bulletins/)");
  add_database_options(*b, o->db);
  b->get_option("--db")->check(CLI::ExistingFile);
  b->add_option("--unit", o->unit, "the unit's code (its subtree is counted)")->required();
  b->add_option("--from", o->from, "first day, 2026-06-24 (the bureau's calendar)")->required();
  b->add_option("--to", o->to, "last day counted, inclusive")->required();
  b->add_option("--template", o->template_name, "campaign, weekly, daily (data/bulletins/<name>.md)")
      ->capture_default_str();
  b->add_option("--campaign", o->campaign, "the campaign's name, e.g. 夏季治安打击整治行动");
  b->add_option("--campaign-start", o->campaign_start, "the campaign's first day (default: --from): 行动开展以来");
  b->add_option("--format", o->format, "md, html, pdf, docx or xlsx (the figures as a workbook)")->capture_default_str();
  b->add_option("--out", o->out, "file to write (md and html default to standard output)");
  b->add_option("--base-url", o->base_url, "put before each figure's link, e.g. https://pingan.example");
  b->callback([o] { run_bulletin(*o); });

  auto so = std::make_shared<ScheduleCliOptions>();
  CLI::App* sc = cmd->add_subcommand("schedule", "write the bulletins of bulletins/schedule.json due at --at "
                                                 "(each missing file once), as `pingan serve` does every minute");
  add_database_options(*sc, so->db);
  sc->add_option("--at", so->at, "the instant, 2026-10-31T08:00 in the bureau's zone (default: now)");
  sc->add_option("--bulletin-dir", so->bulletin_dir, "folder in place of the schedule's \"folder\"");
  sc->callback([so] { run_schedule(*so); });
}

}  // namespace pingan::cli
