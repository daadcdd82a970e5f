#pragma once
// The machinery every incident importer shares: validation of each row,
// batching, a writer thread that stores batches while the next one is
// parsed, corrections applied at the end of each file, counters, the
// rejects file and progress reports. An importer only turns rows into
// Incidents (or rejects them) and calls this.
//
// Threading: the importer's thread calls everything here except the writer
// loop, which runs on a thread of its own; the rejects writer is shared and
// locks; counters are kept per thread and summed in finish().

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/incident.h"
#include "engine/engine.h"
#include "ingest/correction_targets.h"
#include "ingest/importer.h"
#include "ingest/rejects_writer.h"
#include "ingest/source_files.h"

namespace pingan::ingest {

// Where a row came from, for the rejects file.
struct RowOrigin {
  std::string_view file;  // as shown to the user (path relative to the import path)
  std::int64_t line = 0;
  std::string_view raw;
};

// A row that cancels an earlier one (St. Louis Count = -1): it voids the
// earliest live record of the source with this case number and code.
struct PendingCorrection {
  std::string case_number;
  std::string original_code;
  std::string void_reason;
  std::string file;
  std::int64_t line = 0;
  std::string raw;
};

class ImportSession {
 public:
  // Rows per transaction. Smaller batches keep the writer busy from the
  // start and leave less to drain at the end; below ~10k rows the commits
  // cost more than that gains (St. Louis, bench_import).
  static constexpr size_t kBatchRows = 20000;
  // The writer waits for the first batch: a small one gets it going sooner.
  static constexpr size_t kFirstBatchRows = 2000;
  static constexpr std::int64_t kProgressEveryRows = 50000;

  static Result<std::unique_ptr<ImportSession>> start(Engine& engine, const ImportOptions& options,
                                                      std::int64_t bytes_total);
  ~ImportSession();

  // Counts one data row read; `bytes_read` is the running total over all files.
  void row_read(std::int64_t bytes_read);
  // Validates `incident` and queues it, or rejects it with the validation error.
  void accept(Incident incident, const RowOrigin& origin);
  void reject(const RowOrigin& origin, std::string_view field, std::string_view reason);
  // True when `source_id` came earlier in this import; the row is then
  // counted as a duplicate (for sources whose logs repeat records, even when
  // the first copy was rejected: the first copy of a record decides).
  bool repeated_in_import(std::string_view source_id);
  // Kept until the end of the current file, then applied after all its rows
  // are stored and before any later file's row that it could match.
  void add_correction(PendingCorrection correction);
  // Marks the end of a file: its corrections join the batch.
  void end_file();
  // Notes in the rejects file a file of a folder that was not imported.
  void note_skipped_file(std::string_view file, std::string_view reason);
  // Creates units that are not in the tree yet (e.g. SLO beats on first sight).
  Status ensure_units(std::vector<Unit> units);
  bool has_unit(const std::string& code) const { return known_units_.count(code) > 0; }
  const UnitTree& units() const { return *tree_; }
  // The store failed: the importer should stop reading.
  bool failed() const;

  // Waits for the writer, flushes the rejects file, and returns the totals.
  Result<ImportReport> finish();

  // Every importer's file loop: reads `files` in order through
  // import_file(file, bytes of the files before it), stops early when the
  // store failed, and finishes. A file that cannot be read stops the import
  // with its error, after what was read so far is stored (with the
  // corrections of the files that ended), so that a retry, which skips those
  // rows, does not skip their corrections.
  using FileImport = std::function<Status(const SourceFile& file, std::int64_t bytes_before)>;
  Result<ImportReport> import_files(const std::vector<SourceFile>& files, const FileImport& import_file);

 private:
  // Rows of consecutive files share a batch (one transaction): a commit per
  // file would cost a disk flush each. The batch remembers which rows came
  // from which file, and which files ended in it, with their corrections.
  struct FileRows {
    std::int64_t file = 0;  // sequence number of the file in this import
    size_t first_row = 0;   // its rows run to the next FileRows' first_row
  };
  struct FileEnd {
    std::int64_t file = 0;
    std::vector<PendingCorrection> corrections;
  };
  struct Batch {
    std::vector<Incident> incidents;
    std::vector<FileRows> files;
    std::vector<FileEnd> ended;
  };
  struct FileCounts {
    std::int64_t inserted = 0, duplicates = 0;
  };

  ImportSession(Engine& engine, const ImportOptions& options, std::int64_t bytes_total);
  void submit();
  void writer_loop();
  Status write_batch(Batch& batch);
  Status apply_corrections(const std::vector<FileEnd>& ended);
  // Adds the stored rows of a written batch to targets_.
  void remember_targets(const std::vector<Incident>& incidents, const BatchResult& r);
  // Voids the record each correction matches; matched[k] for corrections[k].
  Status void_targets(const std::vector<const PendingCorrection*>& corrections, std::vector<bool>& matched);
  void report_progress();

  Engine& engine_;
  ImportOptions options_;
  std::int64_t bytes_total_;
  Timestamp now_;
  double read_cpu_start_;  // this thread's CPU seconds when the import began
  std::unique_ptr<RejectsWriter> rejects_;
  std::shared_ptr<const UnitTree> tree_;
  std::unordered_set<std::string> known_units_;

  // Parse side (importer thread only).
  ImportReport parsed_;  // read, rejected
  std::int64_t bytes_read_ = 0;
  std::unordered_set<std::string> seen_ids_;
  Batch current_;
  std::int64_t file_ = 0;                        // the file being read
  size_t batch_rows_ = kFirstBatchRows;          // rows that fill current_
  std::vector<PendingCorrection> corrections_;   // of the file being read
  // Case number + code of corrections waiting in current_: a later file's
  // row with one of them must not be stored before they are applied.
  std::unordered_set<std::string> pending_keys_;

  // Writer side.
  std::thread writer_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;   // GUARDED_BY(mutex_)
  std::vector<std::vector<Incident>> spent_;  // written, to be freed by the importer thread; GUARDED_BY(mutex_)
  bool closing_ = false;      // GUARDED_BY(mutex_)
  std::optional<Error> failure_;  // GUARDED_BY(mutex_)
  ImportReport written_;      // imported, duplicates, corrections; writer thread only until joined
  std::unordered_map<std::int64_t, FileCounts> file_counts_;  // writer thread only
  CorrectionTargets targets_;  // writer thread only
};

}  // namespace pingan::ingest
