#include "ingest/import_session.h"

#include <fmt/format.h>

#include <ctime>

namespace pingan::ingest {
namespace {

// Batches waiting for the writer: one being written and one ready bounds
// memory while keeping both threads busy.
constexpr size_t kMaxQueuedBatches = 2;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

}  // namespace

ImportSession::ImportSession(Engine& engine, const ImportOptions& options, std::int64_t bytes_total)
    : engine_(engine), options_(options), bytes_total_(bytes_total), now_(now_utc()),
      read_cpu_start_(thread_cpu_seconds()) {}

Result<std::unique_ptr<ImportSession>> ImportSession::start(Engine& engine, const ImportOptions& options,
                                                            std::int64_t bytes_total) {
  std::unique_ptr<ImportSession> s(new ImportSession(engine, options, bytes_total));
  std::string path = options.rejects_path.empty() ? fmt::format("rejects-{}.csv", options.format)
                                                  : options.rejects_path;
  PINGAN_ASSIGN_OR_RETURN(s->rejects_, RejectsWriter::create(path));
  s->tree_ = engine.units();
  for (const Unit& u : s->tree_->units()) s->known_units_.insert(u.code);
  s->current_.incidents.reserve(kFirstBatchRows);
  s->writer_ = std::thread([p = s.get()] { p->writer_loop(); });
  return s;
}

ImportSession::~ImportSession() {
  if (writer_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    writer_.join();
  }
}

void ImportSession::row_read(std::int64_t bytes_read) {
  ++parsed_.read;
  bytes_read_ = bytes_read;
  if (parsed_.read % kProgressEveryRows == 0) report_progress();
}

void ImportSession::report_progress() {
  if (options_.progress) options_.progress(ImportProgress{parsed_.read, bytes_read_, bytes_total_});
}

namespace {

std::string correction_key(std::string_view case_number, std::string_view code) {
  std::string key(case_number);
  key.push_back('\x1f');
  key.append(code);
  return key;
}

}  // namespace

void ImportSession::accept(Incident incident, const RowOrigin& origin) {
  Status st = validate_new_incident(incident, engine_.taxonomy(), now_);
  if (!st.ok()) {
    reject(origin, st.error().field, st.error().message);
    return;
  }
  // An earlier file's correction waiting in this batch could match this row
  // when applied after it: store the batch first.
  if (!pending_keys_.empty() && !incident.case_number.empty() &&
      pending_keys_.count(correction_key(incident.case_number, incident.original_code)))
    submit();
  if (current_.files.empty() || current_.files.back().file != file_)
    current_.files.push_back({file_, current_.incidents.size()});
  current_.incidents.push_back(std::move(incident));
  if (current_.incidents.size() >= batch_rows_) submit();
}

void ImportSession::reject(const RowOrigin& origin, std::string_view field, std::string_view reason) {
  ++parsed_.rejected;
  rejects_->write(origin.file, origin.line, field, reason, origin.raw);
}

bool ImportSession::repeated_in_import(std::string_view source_id) {
  if (seen_ids_.emplace(source_id).second) return false;
  ++parsed_.duplicates;
  return true;
}

void ImportSession::note_skipped_file(std::string_view file, std::string_view reason) {
  rejects_->write(file, 1, "header", fmt::format("file skipped: {}", reason), "");
}

void ImportSession::add_correction(PendingCorrection correction) {
  corrections_.push_back(std::move(correction));
}

void ImportSession::end_file() {
  for (const PendingCorrection& c : corrections_)
    if (!c.case_number.empty()) pending_keys_.insert(correction_key(c.case_number, c.original_code));
  current_.ended.push_back({file_, std::move(corrections_)});
  corrections_.clear();
  ++file_;
}

void ImportSession::submit() {
  Batch batch = std::move(current_);
  current_ = Batch{};
  pending_keys_.clear();
  batch_rows_ = kBatchRows;
  std::vector<std::vector<Incident>> spent;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kMaxQueuedBatches || failure_; });
    if (failure_) return;
    queue_.push_back(std::move(batch));
    spent.swap(spent_);
  }
  changed_.notify_all();
  // The written rows are freed here, on this thread: freeing a batch's
  // strings is work the writer thread, the slower of the two, need not do.
  // Their vector is kept for the next batch: at ~12 MB, a fresh one is an
  // mmap whose every page faults in zeroed, and a freed one goes back to the
  // kernel.
  for (std::vector<Incident>& rows : spent) {
    rows.clear();
    if (rows.capacity() > current_.incidents.capacity()) current_.incidents.swap(rows);
  }
  current_.incidents.reserve(kBatchRows);
}

bool ImportSession::failed() const {
  std::lock_guard lock(mutex_);
  return failure_.has_value();
}

Status ImportSession::ensure_units(std::vector<Unit> units) {
  std::vector<Unit> missing;
  for (Unit& u : units)
    if (!known_units_.count(u.code)) missing.push_back(std::move(u));
  if (missing.empty()) return {};
  PINGAN_RETURN_IF_ERROR(engine_.upsert_units(missing));
  tree_ = engine_.units();
  for (const Unit& u : missing) known_units_.insert(u.code);
  return {};
}

void ImportSession::writer_loop() {
  while (true) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) {  // closing and drained
        written_.store_cpu_seconds = thread_cpu_seconds();
        return;
      }
      batch = std::move(queue_.front());
    }
    Status st = failed() ? Status() : write_batch(batch);
    {
      std::lock_guard lock(mutex_);
      // `batch` holds the rows (moved out of the queue): they are freed by
      // the importer thread, not by this one, the slower of the two.
      spent_.push_back(std::move(batch.incidents));
      queue_.pop_front();
      if (!st.ok() && !failure_) failure_ = st.error();
    }
    changed_.notify_all();
  }
}

Status ImportSession::write_batch(Batch& batch) {
  if (!batch.incidents.empty()) {
    PINGAN_ASSIGN_OR_RETURN(BatchResult r, engine_.insert_batch(batch.incidents));
    written_.imported += r.inserted;
    written_.duplicates += r.duplicates;
    if (targets_.loaded()) remember_targets(batch.incidents, r);
    // Per-file counts decide below whether a file was imported before.
    auto dup = r.duplicate_rows.begin();
    for (size_t i = 0; i < batch.files.size(); ++i) {
      size_t end = i + 1 < batch.files.size() ? batch.files[i + 1].first_row : batch.incidents.size();
      std::int64_t dups = 0;
      while (dup != r.duplicate_rows.end() && *dup < end) ++dup, ++dups;
      FileCounts& c = file_counts_[batch.files[i].file];
      c.duplicates += dups;
      c.inserted += static_cast<std::int64_t>(end - batch.files[i].first_row) - dups;
    }
  }
  return apply_corrections(batch.ended);
}

Status ImportSession::apply_corrections(const std::vector<FileEnd>& ended) {
  // A file whose rows were all present already was imported before: its
  // corrections were applied then, and applying them again would void
  // another record with the same case number and code.
  std::vector<const PendingCorrection*> to_apply;
  for (const FileEnd& f : ended) {
    FileCounts counts = file_counts_[f.file];
    file_counts_.erase(f.file);
    if (counts.inserted == 0 && counts.duplicates > 0) {
      written_.duplicates += static_cast<std::int64_t>(f.corrections.size());
      continue;
    }
    for (const PendingCorrection& c : f.corrections) to_apply.push_back(&c);
  }
  // Each voids the earliest live record with its case number and code,
  // in file order, in one transaction.
  std::vector<bool> matched(to_apply.size(), false);
  if (!to_apply.empty()) PINGAN_RETURN_IF_ERROR(void_targets(to_apply, matched));
  for (size_t k = 0; k < to_apply.size(); ++k) {
    const PendingCorrection* c = to_apply[k];
    if (matched[k]) {
      ++written_.corrections;
      continue;
    }
    ++written_.corrections_unmatched;
    rejects_->write(c->file, c->line, c->case_number.empty() ? "Count" : "Complaint",
                    c->case_number.empty()
                        ? "correction (Count = -1) without a complaint number: nothing to match"
                        : fmt::format("correction (Count = -1) matches no live record with complaint {} "
                                      "and crime {}",
                                      c->case_number, c->original_code),
                    c->raw);
  }
  return {};
}

void ImportSession::remember_targets(const std::vector<Incident>& incidents, const BatchResult& r) {
  auto dup = r.duplicate_rows.begin();
  size_t next_id = 0;
  for (size_t i = 0; i < incidents.size(); ++i) {
    if (dup != r.duplicate_rows.end() && *dup == i) {
      ++dup;
      continue;
    }
    IncidentId id = next_id < r.inserted_ids.size() ? r.inserted_ids[next_id] : 0;
    ++next_id;
    const Incident& inc = incidents[i];
    if (id != 0 && !inc.voided) targets_.add(id, inc.case_number, inc.original_code);
  }
}

Status ImportSession::void_targets(const std::vector<const PendingCorrection*>& corrections,
                                   std::vector<bool>& matched) {
  // The first correction of the import reads the records it could match
  // (earlier imports' and this one's so far); later batches add theirs.
  if (!targets_.loaded()) PINGAN_RETURN_IF_ERROR(targets_.load(engine_, options_.format));
  // Another writer may have voided a record since it was read (or, with odds
  // of 1 in 2^64, a hash named a record of another key): the store then
  // reports it not voided, and that correction takes the next record.
  std::vector<size_t> open(corrections.size());
  for (size_t k = 0; k < open.size(); ++k) open[k] = k;
  while (!open.empty()) {
    std::vector<CorrectionTargets::Want> wants;
    for (size_t k : open) wants.push_back({corrections[k]->case_number, corrections[k]->original_code});
    std::vector<IncidentId> ids = targets_.take_earliest(wants);
    std::vector<IncidentStore::VoidById> requests;
    std::vector<size_t> asked;
    for (size_t j = 0; j < open.size(); ++j) {
      if (ids[j] == 0) continue;  // nothing left to match: unmatched
      const PendingCorrection* c = corrections[open[j]];
      requests.push_back({ids[j], c->case_number, c->original_code, c->void_reason});
      asked.push_back(open[j]);
    }
    if (requests.empty()) break;
    PINGAN_ASSIGN_OR_RETURN(std::vector<bool> voided, engine_.void_incidents(requests));
    open.clear();
    for (size_t j = 0; j < asked.size(); ++j) {
      if (voided[j]) matched[asked[j]] = true;
      else open.push_back(asked[j]);
    }
  }
  return {};
}

Result<ImportReport> ImportSession::import_files(const std::vector<SourceFile>& files,
                                                 const FileImport& import_file) {
  std::int64_t bytes_before = 0;
  for (const SourceFile& f : files) {
    Status st = import_file(f, bytes_before);
    if (!st.ok()) {
      (void)finish();
      return st.error();
    }
    bytes_before += f.size;
    if (failed()) break;
  }
  return finish();
}

Result<ImportReport> ImportSession::finish() {
  // Corrections of a file that did not reach end_file() (an error stopped
  // it) are dropped: its rows are stored, and a retry applies them once.
  corrections_.clear();
  if (!current_.incidents.empty() || !current_.ended.empty()) submit();
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  writer_.join();
  report_progress();
  PINGAN_RETURN_IF_ERROR(rejects_->flush());
  {
    std::lock_guard lock(mutex_);
    if (failure_) return *failure_;
  }
  ImportReport report = parsed_;
  report.read_cpu_seconds = thread_cpu_seconds() - read_cpu_start_;
  report.store_cpu_seconds = written_.store_cpu_seconds;
  report.imported = written_.imported;
  report.duplicates = parsed_.duplicates + written_.duplicates;
  report.corrections = written_.corrections;
  report.corrections_unmatched = written_.corrections_unmatched;
  report.rejects_path = rejects_->path();
  return report;
}

}  // namespace pingan::ingest
