#include "report/scheduled_bulletins.h"

#include <fmt/format.h>

#include <fstream>
#include <mutex>
#include <optional>

#include "core/bulletin_template.h"
#include "report/bulletin.h"
#include "report/bulletin_docx.h"
#include "report/bulletin_html.h"
#include "report/bulletin_pdf.h"
#include "report/scratch_dir.h"

namespace pingan::report {
namespace {

namespace fs = std::filesystem;

// Chromium and LibreOffice take a second or more and much memory: the
// scheduled bulletins convert one at a time, whoever calls.
std::mutex converter_mutex;

std::string day_text(const CivilTime& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

Status write_text(const std::string& text, const fs::path& out) {
  PINGAN_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create("pingan-bulletin-run"));
  const fs::path produced = scratch.path() / "bulletin";
  {
    std::ofstream file(produced, std::ios::binary);
    file << text;
    if (!file.flush()) return Error::internal(fmt::format("cannot write {}", produced.string()));
  }
  return install_output_file(produced, out.string());
}

Status write_format(const BulletinDocument& doc, const std::string& format, const std::string& base_url,
                    const fs::path& out) {
  if (format == "md") return write_text(bulletin_markdown(doc), out);
  BulletinHtmlOptions options;
  options.base_url = base_url;
  if (format == "docx") options.flavour = BulletinHtmlFlavour::kWordProcessor;
  const std::string html = bulletin_html(doc, options);
  if (format == "html") return write_text(html, out);
  std::lock_guard lock(converter_mutex);
  if (format == "pdf") return write_bulletin_pdf(html, out.string(), PdfOptions{});
  return write_bulletin_docx(html, out.string(), DocxOptions{});
}

bool file_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

}  // namespace

fs::path scheduled_bulletin_folder(const BulletinSchedule& schedule, const fs::path& beside,
                                   const std::string& override_dir) {
  const fs::path folder = override_dir.empty() ? fs::path(schedule.folder) : fs::path(override_dir);
  if (folder.is_absolute() || beside.empty()) return folder;
  return beside / folder;
}

BulletinRound run_due_bulletins(const BulletinSchedule& schedule, const std::string& data_dir, const fs::path& folder,
                                const TimeZone& zone, const BulletinInputs& inputs, Timestamp now) {
  BulletinRound round;
  if (schedule.runs.empty()) return round;
  const std::shared_ptr<const UnitTree> tree = inputs.units();
  std::optional<Result<BulletinSources>> sources;  // asked once, when a file is missing
  auto fail = [&](const ScheduledBulletin& run, const std::string& unit, const DueBulletin& due, const Error& e) {
    round.failures.push_back(fmt::format("run '{}', unit {}, {} to {}: {}", run.name, unit.empty() ? "(roots)" : unit,
                                         day_text(due.first_day), day_text(due.last_day), e.describe()));
  };
  for (const DueBulletin& due : due_bulletins(schedule, zone, now)) {
    const ScheduledBulletin& run = schedule.runs[due.run];
    std::vector<std::string> units;
    if (!run.unit.empty()) {
      units.push_back(run.unit);
    } else if (tree) {
      for (const Unit& u : tree->units())
        if (u.parent_code.empty()) units.push_back(u.code);
    }
    // No unit yet (a fresh install): nothing to write, and nothing wrong.
    for (const std::string& unit : units) {
      std::vector<std::string> missing;
      for (const std::string& format : run.formats)
        if (file_exists(folder / bulletin_file_name(run, unit, due.last_day, format))) ++round.present;
        else missing.push_back(format);
      if (missing.empty()) continue;
      if (!sources) sources = inputs.sources();
      if (!sources->ok()) {
        fail(run, unit, due, sources->error());
        continue;
      }
      BulletinRequest request;
      request.template_name = run.template_name;
      request.unit = unit;
      request.from = due.first_day;
      request.to = due.last_day;
      auto doc = make_bulletin(**sources, data_dir, zone, request);
      if (!doc.ok()) {
        fail(run, unit, due, doc.error());
        continue;
      }
      if (std::error_code ec; !fs::is_directory(folder, ec) && !fs::create_directories(folder, ec) && ec) {
        fail(run, unit, due, Error::invalid("folder", fmt::format("cannot create {}: {}", folder.string(), ec.message())));
        continue;
      }
      for (const std::string& format : missing) {
        const fs::path out = folder / bulletin_file_name(run, unit, due.last_day, format);
        if (Status st = write_format(*doc, format, schedule.base_url, out); !st.ok()) fail(run, unit, due, st.error());
        else round.written.push_back(out.string());
      }
    }
  }
  return round;
}

}  // namespace pingan::report
