#pragma once
// The built web UI, served at "/" beside the API: a GET for a file under the
// folder answers it with its content type; "/" answers index.html. Paths that
// climb out of the folder ("..") or name something that is not a regular
// file are not found. Files are small (a bundled UI), read whole per request.
// Files under assets/ (content-hashed by the bundler) are cached a year,
// the rest revalidated each time (Cache-Control).

#include <optional>
#include <string>

#include "http/http_response.h"

namespace pingan {

class StaticFiles {
 public:
  // An empty or unreadable folder serves nothing (the API works without a UI).
  explicit StaticFiles(std::string folder);
  bool serving() const { return !folder_.empty(); }

  // The file for a decoded request path, or empty when there is none.
  std::optional<HttpResponse> find(const std::string& path) const;

 private:
  std::string folder_;  // canonical, empty when not serving
};

}  // namespace pingan
