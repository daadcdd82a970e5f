#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pingan {
namespace {

std::string content_type_for(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".wasm") return "application/wasm";
  return "application/octet-stream";
}

}  // namespace

StaticFiles::StaticFiles(std::string folder) {
  std::error_code ec;
  if (folder.empty() || !std::filesystem::is_directory(folder, ec)) return;
  folder_ = std::filesystem::canonical(folder, ec).string();
  if (ec) folder_.clear();
}

std::optional<HttpResponse> StaticFiles::find(const std::string& path) const {
  if (folder_.empty() || path.empty() || path.front() != '/') return std::nullopt;
  std::filesystem::path relative = std::filesystem::path(path.substr(1)).lexically_normal();
  for (const auto& part : relative)
    if (part == "..") return std::nullopt;
  std::filesystem::path file = std::filesystem::path(folder_) / relative;
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) file /= "index.html";
  // Symbolic links may not lead out of the folder either.
  const std::filesystem::path real = std::filesystem::weakly_canonical(file, ec);
  if (ec || real.string().rfind(folder_ + "/", 0) != 0) return std::nullopt;
  if (!std::filesystem::is_regular_file(real, ec)) return std::nullopt;
  std::ifstream in(real, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  HttpResponse res;
  res.content_type = content_type_for(real);
  res.body = std::move(text).str();
  // The bundler names what it emits under assets/ by a hash of the content:
  // such a file never changes, so browsers keep it a year. Everything else
  // (index.html, which names the current assets) is checked every time.
  const bool hashed = relative.begin() != relative.end() && *relative.begin() == "assets";
  res.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return res;
}

}  // namespace pingan
