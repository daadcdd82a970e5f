#include "analytics/index_snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "core/lifecycle.h"

namespace pingan::analytics {
namespace {

constexpr char kMagic[8] = {'P', 'I', 'N', 'G', 'A', 'N', 'I', 'X'};
// Bumped whenever the layout below changes: an older file is then rebuilt.
constexpr std::uint32_t kFormatVersion = 1;
// Written as a number: a file from a machine of the other byte order reads back different.
constexpr std::uint32_t kByteOrderTag = 0x01020304;
constexpr std::size_t kDigestBytes = crypto_generichash_BYTES;  // 32
// No string in a snapshot is longer (codes, zone names, database names).
constexpr std::uint64_t kMaxStringBytes = 4096;
// Bounds on counts read from the file before allocating for them.
constexpr std::uint64_t kMaxRows = std::uint64_t{1} << 32;
constexpr std::uint64_t kMaxCodes = 1u << 20;

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Writes through stdio and feeds the digest with the same bytes.
class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) { crypto_generichash_init(&hash_, nullptr, 0, kDigestBytes); }
  void bytes(const void* p, std::size_t n) {
    if (n == 0 || !ok_) return;
    crypto_generichash_update(&hash_, static_cast<const unsigned char*>(p), n);
    ok_ = std::fwrite(p, 1, n, f_) == n;
  }
  template <typename T>
  void value(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  template <typename T>
  void column(const std::vector<T>& v) {
    value<std::uint64_t>(v.size());
    bytes(v.data(), v.size() * sizeof(T));
  }
  bool finish() {
    unsigned char digest[kDigestBytes];
    crypto_generichash_final(&hash_, digest, kDigestBytes);
    if (ok_) ok_ = std::fwrite(digest, 1, kDigestBytes, f_) == kDigestBytes;
    return ok_;
  }

 private:
  std::FILE* f_;
  crypto_generichash_state hash_;
  bool ok_ = true;
};

// Reads through stdio; every failure becomes the first error, kept.
class Reader {
 public:
  Reader(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {
    crypto_generichash_init(&hash_, nullptr, 0, kDigestBytes);
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }
  void bytes(void* p, std::size_t n) {
    if (n == 0 || !ok()) return;
    if (std::fread(p, 1, n, f_) != n) return fail("the file ends early (truncated)");
    crypto_generichash_update(&hash_, static_cast<const unsigned char*>(p), n);
  }
  template <typename T>
  T value() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
  std::string text() {
    const auto n = value<std::uint64_t>();
    if (n > kMaxStringBytes) {
      fail(fmt::format("a text of {} bytes (at most {})", n, kMaxStringBytes));
      return {};
    }
    std::string s(static_cast<std::size_t>(n), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  template <typename T>
  void column(std::vector<T>& v, std::uint64_t max) {
    const auto n = value<std::uint64_t>();
    if (!ok()) return;
    if (n > max) return fail(fmt::format("a column of {} values (at most {})", n, max));
    v.resize(static_cast<std::size_t>(n));
    bytes(v.data(), v.size() * sizeof(T));
  }
  // The digest of everything read so far against the one stored after it.
  void check_digest() {
    if (!ok()) return;
    unsigned char want[kDigestBytes];
    crypto_generichash_final(&hash_, want, kDigestBytes);
    unsigned char got[kDigestBytes];
    if (std::fread(got, 1, kDigestBytes, f_) != kDigestBytes) return fail("the file ends early (truncated)");
    if (sodium_memcmp(want, got, kDigestBytes) != 0) return fail("the digest does not match: the file is damaged");
    if (std::fgetc(f_) != EOF) fail("bytes after the digest");
  }

 private:
  std::FILE* f_;
  std::string path_;
  crypto_generichash_state hash_;
  std::string error_;
};

Status sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Error::internal(fmt::format("{}: {}", path, std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Error::internal(fmt::format("syncing {}: {}", path, std::strerror(err)));
  return {};
}

// Every number the index will use as an offset, checked once here.
Status check_contents(const SnapshotContents& c) {
  const IndexColumns& r = c.rows;
  const std::size_t n = r.minute.size();
  for (std::size_t size : {r.second.size(), r.type.size(), r.status.size(), r.unit.size(), r.x.size(), r.y.size()})
    if (size != n) return Error::invalid("snapshot", "its columns differ in length");
  for (std::size_t i = 0; i < n; ++i) {
    if (r.second[i] >= 60) return Error::invalid("snapshot", fmt::format("row {}: second {} out of range", i, r.second[i]));
    if (r.type[i] != kUnknownType && r.type[i] >= c.type_codes.size())
      return Error::invalid("snapshot", fmt::format("row {}: type number {} out of range", i, r.type[i]));
    if (r.unit[i] != kNoUnit && r.unit[i] >= c.unit_codes.size())
      return Error::invalid("snapshot", fmt::format("row {}: unit number {} out of range", i, r.unit[i]));
    if (r.status[i] > static_cast<std::uint8_t>(IncidentStatus::kClosed))
      return Error::invalid("snapshot", fmt::format("row {}: status {} out of range", i, r.status[i]));
  }
  for (std::uint32_t row : c.row_of_id)
    if (row != kNoRow && row >= n) return Error::invalid("snapshot", "an id maps to a row it does not have");
  for (const auto& [id, row] : c.sparse_ids)
    if (id <= 0 || row >= n) return Error::invalid("snapshot", "an id maps to a row it does not have");
  return {};
}

}  // namespace

Status write_snapshot(const std::string& path, const SnapshotStamp& stamp, const IndexData& d) {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialised");
  if (d.tail_size() != 0 || d.dead_rows != 0) return Error::internal("the index must be compacted before a snapshot");
  const std::string temp = path + ".tmp";
  {
    // Mode 600: the rows are where and when incidents happened.
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error::internal(fmt::format("writing the index snapshot {}: {}", temp, std::strerror(errno)));
    File f(::fdopen(fd, "wb"));
    if (!f) {
      ::close(fd);
      return Error::internal(fmt::format("writing the index snapshot {}: {}", temp, std::strerror(errno)));
    }
    Writer w(f.get());
    w.bytes(kMagic, sizeof kMagic);
    w.value(kFormatVersion);
    w.value(kByteOrderTag);
    w.value(stamp.position);
    w.text(stamp.database);
    w.text(d.clock.zone().name());
    w.value<std::uint64_t>(d.types.size());
    for (const IncidentType& t : d.types) w.text(t.code);
    w.value<std::uint8_t>(d.projection_set ? 1 : 0);
    w.value(d.projection.origin_lat);
    w.value(d.projection.origin_lon);
    w.value(d.projection.metres_per_deg_lat);
    w.value(d.projection.metres_per_deg_lon);
    w.value<std::uint64_t>(static_cast<std::uint64_t>(d.catalog.size()));
    for (int u = 0; u < d.catalog.size(); ++u) w.text(d.catalog.at(u).code);
    w.column(d.rows.minute);
    w.column(d.rows.second);
    w.column(d.rows.type);
    w.column(d.rows.status);
    w.column(d.rows.unit);
    w.column(d.rows.x);
    w.column(d.rows.y);
    w.column(d.row_of_id);
    w.value<std::uint64_t>(d.row_of_sparse_id.size());
    for (const auto& [id, row] : d.row_of_sparse_id) {
      w.value<std::int64_t>(id);
      w.value<std::uint32_t>(row);
    }
    if (!w.finish() || std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0) {
      const int err = errno;
      f.reset();
      std::filesystem::remove(temp);
      return Error::internal(fmt::format("writing the index snapshot {}: {}", temp, std::strerror(err)));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Error::internal(fmt::format("renaming {} to {}: {}", temp, path, ec.message()));
  // The rename itself durable: sync the folder.
  const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  return sync_path(dir.string(), O_RDONLY | O_DIRECTORY);
}

Result<SnapshotContents> read_snapshot(const std::string& path) {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialised");
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error::not_found(fmt::format("{}: {}", path, std::strerror(errno)));
  Reader r(f.get(), path);
  char magic[sizeof kMagic];
  r.bytes(magic, sizeof magic);
  if (r.ok() && std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    return Error::invalid("snapshot", fmt::format("{} is not a pingan index snapshot", path));
  const auto version = r.value<std::uint32_t>();
  if (r.ok() && version != kFormatVersion)
    return Error::invalid("snapshot", fmt::format("{} has format {}, this pingan reads {}", path, version, kFormatVersion));
  if (r.ok() && r.value<std::uint32_t>() != kByteOrderTag)
    return Error::invalid("snapshot", fmt::format("{} was written on a machine of another byte order", path));
  SnapshotContents c;
  c.stamp.position = r.value<std::int64_t>();
  c.stamp.database = r.text();
  c.zone = r.text();
  const auto types = r.value<std::uint64_t>();
  if (types > 255) r.fail(fmt::format("{} types (at most 255)", types));
  for (std::uint64_t i = 0; r.ok() && i < types; ++i) c.type_codes.push_back(r.text());
  c.projection_set = r.value<std::uint8_t>() != 0;
  c.projection.origin_lat = r.value<double>();
  c.projection.origin_lon = r.value<double>();
  c.projection.metres_per_deg_lat = r.value<double>();
  c.projection.metres_per_deg_lon = r.value<double>();
  const auto units = r.value<std::uint64_t>();
  if (units >= kNoUnit) r.fail(fmt::format("{} units (at most {})", units, kNoUnit - 1));
  for (std::uint64_t i = 0; r.ok() && i < units; ++i) c.unit_codes.push_back(r.text());
  r.column(c.rows.minute, kMaxRows);
  r.column(c.rows.second, kMaxRows);
  r.column(c.rows.type, kMaxRows);
  r.column(c.rows.status, kMaxRows);
  r.column(c.rows.unit, kMaxRows);
  r.column(c.rows.x, kMaxRows);
  r.column(c.rows.y, kMaxRows);
  r.column(c.row_of_id, kMaxRows + kMaxCodes);
  const auto sparse = r.value<std::uint64_t>();
  if (sparse > kMaxRows) r.fail(fmt::format("{} sparse ids", sparse));
  for (std::uint64_t i = 0; r.ok() && i < sparse; ++i) {
    const auto id = r.value<std::int64_t>();
    const auto row = r.value<std::uint32_t>();
    c.sparse_ids.emplace_back(id, row);
  }
  r.check_digest();
  if (!r.ok()) return Error::invalid("snapshot", fmt::format("{}: {}", path, r.error()));
  if (Status s = check_contents(c); !s.ok())
    return Error::invalid("snapshot", fmt::format("{}: {}", path, s.error().message));
  return c;
}

}  // namespace pingan::analytics
