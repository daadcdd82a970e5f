#include "ingest/xlsx_zip.h"

#include <fmt/format.h>
#include <minizip/unzip.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

namespace pingan::ingest {

namespace {

// A read-only stream over the archive's bytes for minizip's callbacks.
struct MemoryStream {
  const std::string* bytes = nullptr;
  std::uint64_t pos = 0;
};

voidpf ZCALLBACK mem_open(voidpf opaque, const void* /*filename*/, int mode) {
  if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ) return nullptr;
  auto* stream = static_cast<MemoryStream*>(opaque);
  stream->pos = 0;
  return stream;
}

uLong ZCALLBACK mem_read(voidpf /*opaque*/, voidpf s, void* buf, uLong size) {
  auto* stream = static_cast<MemoryStream*>(s);
  std::uint64_t total = stream->bytes->size();
  if (stream->pos >= total) return 0;
  std::uint64_t n = std::min<std::uint64_t>(size, total - stream->pos);
  std::memcpy(buf, stream->bytes->data() + stream->pos, n);
  stream->pos += n;
  return static_cast<uLong>(n);
}

uLong ZCALLBACK mem_write(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK mem_tell(voidpf, voidpf s) { return static_cast<MemoryStream*>(s)->pos; }

long ZCALLBACK mem_seek(voidpf, voidpf s, ZPOS64_T offset, int origin) {
  auto* stream = static_cast<MemoryStream*>(s);
  std::uint64_t total = stream->bytes->size(), base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
      base = 0;
      break;
    case ZLIB_FILEFUNC_SEEK_CUR:
      base = stream->pos;
      break;
    case ZLIB_FILEFUNC_SEEK_END:
      base = total;
      break;
    default:
      return -1;
  }
  // Offsets past the end are refused (minizip reads the central directory
  // where a hostile header says it is).
  if (offset > total || base > total - offset) return -1;
  stream->pos = base + offset;
  return 0;
}

int ZCALLBACK mem_close(voidpf, voidpf) { return 0; }
int ZCALLBACK mem_error(voidpf, voidpf) { return 0; }

}  // namespace

struct ZipArchive::State {
  std::string bytes;
  MemoryStream stream;
  unzFile zip = nullptr;
  ~State() {
    if (zip != nullptr) unzClose(zip);
  }
};

ZipArchive::ZipArchive(std::unique_ptr<State> state, std::string label,
                       std::vector<std::string> names)
    : state_(std::move(state)), label_(std::move(label)), names_(std::move(names)) {}
ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive& ZipArchive::operator=(ZipArchive&&) noexcept = default;
ZipArchive::~ZipArchive() = default;

Result<ZipArchive> ZipArchive::open(std::string bytes, std::string label) {
  // An Excel 97-2003 file is an OLE compound document: say so rather than
  // "not a zip", since that is the usual mistake.
  static constexpr char kOleMagic[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kOleMagic, 8) == 0)
    return Error::invalid(
        label,
        "an Excel 97-2003 .xls file, not .xlsx; save it as .xlsx (Excel 工作簿) and import again");
  auto state = std::make_unique<State>();
  state->bytes = std::move(bytes);
  state->stream.bytes = &state->bytes;
  zlib_filefunc64_def funcs{};
  funcs.zopen64_file = mem_open;
  funcs.zread_file = mem_read;
  funcs.zwrite_file = mem_write;
  funcs.ztell64_file = mem_tell;
  funcs.zseek64_file = mem_seek;
  funcs.zclose_file = mem_close;
  funcs.zerror_file = mem_error;
  funcs.opaque = &state->stream;
  state->zip = unzOpen2_64("memory", &funcs);
  if (state->zip == nullptr)
    return Error::invalid(
        label, "not an .xlsx workbook: the file is not a zip archive (or it is damaged)");

  std::vector<std::string> names;
  int rc = unzGoToFirstFile(state->zip);
  while (rc == UNZ_OK) {
    char name[1024];
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(state->zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) !=
        UNZ_OK)
      return Error::invalid(label, "not an .xlsx workbook: the zip's directory is damaged");
    names.emplace_back(name, strnlen(name, sizeof name));
    // A workbook has a few dozen parts; millions of entries are an attack
    // on the directory walk, not a spreadsheet.
    if (names.size() > 100'000)
      return Error::invalid(label, "the zip archive has more than 100000 entries");
    rc = unzGoToNextFile(state->zip);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE)
    return Error::invalid(label, "not an .xlsx workbook: the zip's directory is damaged");
  return ZipArchive(std::move(state), std::move(label), std::move(names));
}

bool ZipArchive::has_part(std::string_view name) const {
  return std::any_of(names_.begin(), names_.end(), [&](const std::string& n) {
    return n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0;
  });
}

Result<std::string> ZipArchive::read_part(std::string_view name, std::int64_t max_bytes) const {
  std::string wanted(name);
  unzFile zip = state_->zip;
  if (unzLocateFile(zip, wanted.c_str(), 2 /* case-insensitive */) != UNZ_OK)
    return Error::invalid(label_, fmt::format("part '{}' is missing from the workbook", wanted));
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
    return Error::invalid(label_, fmt::format("part '{}': damaged zip entry", wanted));
  auto too_large = [&] {
    return Error{ErrorCode::kPayloadTooLarge, label_,
                 fmt::format("part '{}' is larger than the limit of {} bytes uncompressed; refused",
                             wanted, max_bytes)};
  };
  if (static_cast<std::int64_t>(info.uncompressed_size) > max_bytes ||
      info.uncompressed_size > (1ULL << 62))
    return too_large();
  if (unzOpenCurrentFile(zip) != UNZ_OK)
    return Error::invalid(
        label_,
        fmt::format("part '{}': cannot open the zip entry (encrypted or unknown compression)",
                    wanted));
  std::string out;
  out.reserve(static_cast<size_t>(std::min<std::uint64_t>(info.uncompressed_size, 1 << 20)));
  char buf[64 * 1024];
  for (;;) {
    int n = unzReadCurrentFile(zip, buf, sizeof buf);
    if (n < 0) {
      unzCloseCurrentFile(zip);
      return Error::invalid(label_, fmt::format("part '{}': damaged compressed data", wanted));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    // The header's size may lie: count what actually comes out.
    if (static_cast<std::int64_t>(out.size()) > max_bytes) {
      unzCloseCurrentFile(zip);
      return too_large();
    }
  }
  if (unzCloseCurrentFile(zip) != UNZ_OK)  // UNZ_CRCERROR after a complete read
    return Error::invalid(label_,
                          fmt::format("part '{}': checksum mismatch (damaged file)", wanted));
  return out;
}

}  // namespace pingan::ingest
