#pragma once
// The zip container of an .xlsx workbook, read from bytes in memory with
// minizip (Debian's libminizip: there is no packaged C++ xlsx reader). The
// archive's bytes are owned here; minizip reads them through memory
// callbacks, so opening a file and fuzzing bytes take the same path.
//
// Hostile archives: a part is read in chunks and refused as soon as its
// uncompressed bytes pass `max_part_bytes` (whatever its header claims), so
// a zip bomb costs at most that much memory. CRC errors are errors.
//
// Not thread-safe: one reader at a time (minizip keeps a cursor).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::ingest {

class ZipArchive {
 public:
  // Takes the archive's bytes. `label` names the file in errors
  // ("台账.xlsx: not a zip archive ...").
  static Result<ZipArchive> open(std::string bytes, std::string label);

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  // Part names as stored ("xl/workbook.xml"), in archive order.
  const std::vector<std::string>& part_names() const { return names_; }
  // Case-insensitive, as OPC part names are.
  bool has_part(std::string_view name) const;
  // The part's uncompressed bytes; an error when it is missing, damaged or
  // larger than `max_bytes`.
  Result<std::string> read_part(std::string_view name, std::int64_t max_bytes) const;

  const std::string& label() const { return label_; }

 private:
  struct State;
  explicit ZipArchive(std::unique_ptr<State> state, std::string label,
                      std::vector<std::string> names);

  std::unique_ptr<State> state_;
  std::string label_;
  std::vector<std::string> names_;
};

}  // namespace pingan::ingest
