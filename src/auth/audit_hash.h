#pragma once
// The audit log's digests: SHA-256 or SM3 (GB/T 32905, the one 密评 asks
// for), both through OpenSSL 3's EVP, and the one byte string an entry is
// hashed from.

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/audit_store.h"

namespace pingan::auth {

enum class AuditAlg { kSha256, kSm3 };

// "sha256", "sm3"
const char* audit_alg_name(AuditAlg alg);
// Reads an alg name as an entry records it; an error for any other.
Result<AuditAlg> parse_audit_alg(std::string_view name);

// Lowercase hex digest of `data`; unavailable when OpenSSL lacks the
// algorithm (SM3 compiled out of a distribution's build).
Result<std::string> digest_hex(AuditAlg alg, std::string_view data);

// The bytes an entry's hash covers: alg, seq, at, every text field and
// prev_hash, each preceded by its length (8 bytes, big-endian), so no two
// different entries serialise alike (moving text from one field to the next
// changes the lengths). seq and at as 8-byte big-endian integers.
std::string audit_hash_input(const AuditEntry& entry);

// digest_hex(entry.alg, audit_hash_input(entry)).
Result<std::string> audit_entry_hash(const AuditEntry& entry);

}  // namespace pingan::auth
