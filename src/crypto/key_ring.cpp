#include "crypto/key_ring.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>

#include "crypto/encoding.h"
#include "crypto/sodium_ready.h"

namespace pingan::crypto {
namespace {

constexpr std::size_t kMaxKeyIdChars = 16;

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdChars || id == "hash") return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string random_bytes(std::size_t n) {
  sodium_ready();  // randombytes_buf() works without it, but then reads /dev/urandom per call
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

std::string_view cipher_name(CipherKind kind) {
  return kind == CipherKind::kSm4Gcm ? "sm4-gcm" : "xchacha20poly1305";
}

std::optional<CipherKind> parse_cipher_name(std::string_view name) {
  if (name == "sm4-gcm") return CipherKind::kSm4Gcm;
  if (name == "xchacha20poly1305") return CipherKind::kXChaCha20Poly1305;
  return std::nullopt;
}

char cipher_token_id(CipherKind kind) { return kind == CipherKind::kSm4Gcm ? 's' : 'x'; }

std::size_t cipher_key_bytes(CipherKind kind) { return kind == CipherKind::kSm4Gcm ? 16 : 32; }

KeyRing::~KeyRing() {
  sodium_memzero(hash_key_.data(), hash_key_.size());
  for (auto& k : keys_) sodium_memzero(k.secret.data(), k.secret.size());
}

Result<KeyRing> KeyRing::parse(std::string_view text, std::string_view origin) {
  KeyRing ring;
  std::optional<CipherKind> cipher;
  std::optional<std::size_t> active;
  int line_number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    ++line_number;
    auto words = words_of(line);
    if (words.empty() || words[0].front() == '#') continue;
    auto fail = [&](const std::string& why) {
      return Error::invalid("keys", fmt::format("{} line {}: {}", origin, line_number, why));
    };
    if (words.size() < 3 || words.size() > 4 || (words.size() == 4 && words[3] != "active"))
      return fail("expected '<id> <cipher> <base64 key> [active]'");
    auto kind = parse_cipher_name(words[1]);
    if (!kind) return fail(fmt::format("unknown cipher '{}' (xchacha20poly1305 or sm4-gcm)", words[1]));
    if (cipher && *cipher != *kind)
      return fail(fmt::format("cipher {} differs from {} above: one cipher per installation", words[1],
                              cipher_name(*cipher)));
    cipher = kind;
    auto secret = from_base64(words[2]);
    if (!secret) return fail("the key is not base64");
    bool is_hash = words[0] == "hash";
    std::size_t want = is_hash ? kHashKeyBytes : cipher_key_bytes(*kind);
    if (secret->size() != want)
      return fail(fmt::format("a {} key is {} bytes, this one {}", is_hash ? "hash" : words[1], want, secret->size()));
    if (is_hash) {
      if (words.size() == 4) return fail("the hash key cannot be active: it is not a data key");
      if (!ring.hash_key_.empty()) return fail("a second hash key");
      ring.hash_key_ = std::move(*secret);
      continue;
    }
    if (!valid_key_id(words[0]))
      return fail(fmt::format("key id '{}' must be 1 to {} letters, digits, '-' or '_'", words[0], kMaxKeyIdChars));
    if (ring.find(words[0])) return fail(fmt::format("key id '{}' appears twice", words[0]));
    if (words.size() == 4) {
      if (active) return fail("a second active key; exactly one seals");
      active = ring.keys_.size();
    }
    ring.keys_.push_back({std::string(words[0]), std::move(*secret)});
  }
  if (ring.hash_key_.empty()) return Error::invalid("keys", fmt::format("{}: no hash key line", origin));
  if (ring.keys_.empty()) return Error::invalid("keys", fmt::format("{}: no data key", origin));
  if (!active) return Error::invalid("keys", fmt::format("{}: no key is marked active", origin));
  ring.cipher_ = *cipher;
  ring.active_ = *active;
  return ring;
}

KeyRing KeyRing::generate(CipherKind kind) {
  KeyRing ring;
  ring.cipher_ = kind;
  ring.hash_key_ = random_bytes(kHashKeyBytes);
  ring.keys_.push_back({"k1", random_bytes(cipher_key_bytes(kind))});
  ring.active_ = 0;
  return ring;
}

std::string KeyRing::format() const {
  std::string out =
      "# pingan personal-data keys (docs/personal-data.md). Keep this file 0600 and\n"
      "# back it up apart from the database. <id> <cipher> <base64 key> [active]\n"
      "# The hash key serves exact look-ups and never rotates.\n";
  out += fmt::format("hash {} {}\n", cipher_name(cipher_), to_base64(hash_key_));
  for (std::size_t i = 0; i < keys_.size(); ++i)
    out += fmt::format("{} {} {}{}\n", keys_[i].id, cipher_name(cipher_), to_base64(keys_[i].secret),
                       i == active_ ? " active" : "");
  return out;
}

std::string KeyRing::add_active_key() {
  int next = 1;
  for (const auto& k : keys_) {
    int n = 0;
    if (k.id.size() > 1 && k.id[0] == 'k') {
      auto [p, ec] = std::from_chars(k.id.data() + 1, k.id.data() + k.id.size(), n);
      if (ec == std::errc() && p == k.id.data() + k.id.size()) next = std::max(next, n + 1);
    }
  }
  std::string id = fmt::format("k{}", next);
  while (find(id)) id += "_";  // a hand-made id that took the number
  keys_.push_back({id, random_bytes(cipher_key_bytes(cipher_))});
  active_ = keys_.size() - 1;
  return id;
}

const DataKey* KeyRing::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

}  // namespace pingan::crypto
