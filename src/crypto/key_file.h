#pragma once
// The key ring on disk. A key file is refused unless only its owner may
// read it (mode 0600 or stricter): a key readable by others is no longer a
// secret. Written whole to a new file and renamed over the old one, so a
// crash leaves the old ring or the new one, never half of each.

#include <string>

#include "core/status.h"
#include "crypto/key_ring.h"

namespace pingan::crypto {

// Errors name the path, and the mode when it is too open.
Result<KeyRing> load_key_file(const std::string& path);
// Writes `ring` to `path` with mode 0600 (a temporary file beside it, fsync,
// rename). `create_only` refuses to replace an existing file.
Status write_key_file(const std::string& path, const KeyRing& ring, bool create_only);

}  // namespace pingan::crypto
