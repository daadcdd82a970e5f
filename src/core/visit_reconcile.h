#pragma once
// A visit reconciled against the registry (issue 21): an officer's door-to-
// door visit (云入户) or rental-house check records the people found at an
// address; the registry lists the people it holds there (residents, the
// house's tenants). Reconciling the two says who was found (listed and
// seen), who is new (seen, not listed: to register) and who has left
// (listed, not seen: to check and end), and reports what it cannot decide
// instead of guessing.
//
// Matching, in this order:
//  1. On the keyed hash of the ID number (the store's `id_key`, the hash of
//     normalise_id_number()) when both sides carry one. It is the only
//     identifier the registry trusts — a person is one record by it
//     (core/person.h) — and the store keeps it beside the sealed number, so
//     reconciling needs no plain ID number. Two hashes that differ are two
//     people, whatever their names say.
//  2. Otherwise on the normalised name AND the normalised phone
//     (normalise_person_name() below, normalise_phone() of personal_masks.h).
//     A name alone is not an identity: 张伟 is hundreds of thousands of
//     people, and a house of migrant workers can hold two 李强. A phone is
//     the second fact a tenant always gives and the registry holds, and the
//     pair is rarely shared by two people at one address. A pair with equal
//     names where either phone is missing is reported, not matched.
//
// Ambiguities — one hash on two registry entries or twice in the visit, one
// seen person matching several listed ones by name and phone or the other
// way round, equal names without a phone to confirm — are reported with every
// person involved, and those people are in none of found, new or left: an
// officer decides. Every listed and every seen person is in exactly one of
// found, new, left or one ambiguity.
//
// A pure function over values: no I/O, no clock, no state.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/person.h"

namespace pingan {

// One person on either side. The caller decrypts the registry's names and
// phones and computes the visit's hashes with the store's key (crypto/).
struct VisitPerson {
  PersonId person_id = 0;  // the registry's person; 0 for someone seen but unknown
  std::string id_key;      // keyed hash of the normalised ID number; empty when none is known
  std::string name;
  std::string phone;
};

enum class MatchBasis : std::uint8_t {
  kIdKey,      // the ID number's keyed hash
  kNamePhone,  // normalised name and phone
};

enum class AmbiguityReason : std::uint8_t {
  kSharedIdKey,          // one ID hash on several registry entries or several visit entries
  kSeveralMatches,       // name and phone match more than one person on the other side
  kNameWithoutPhone,     // equal names, but a phone is missing to confirm it
};

const char* match_basis_name(MatchBasis b);             // "id_key", "name_phone"
const char* ambiguity_reason_name(AmbiguityReason r);   // "shared_id_key" ...
const char* ambiguity_reason_zh(AmbiguityReason r);     // "身份证号重复" ...

struct FoundPerson {
  std::size_t listed = 0;  // index into the listed span
  std::size_t seen = 0;    // index into the seen span
  MatchBasis basis = MatchBasis::kIdKey;
  bool operator==(const FoundPerson&) const = default;
};

struct VisitAmbiguity {
  AmbiguityReason reason = AmbiguityReason::kSharedIdKey;
  std::vector<std::size_t> listed;  // ascending
  std::vector<std::size_t> seen;    // ascending
};

struct VisitReconciliation {
  std::vector<FoundPerson> found;          // by listed index
  std::vector<std::size_t> new_people;     // seen indices, ascending
  std::vector<std::size_t> left;           // listed indices, ascending
  std::vector<VisitAmbiguity> ambiguous;   // by first listed index, then first seen index; none listed last
};

// Reconciles the people seen at an address against those the registry
// lists there. Indices refer to the spans as given.
VisitReconciliation reconcile_visit(std::span<const VisitPerson> listed, std::span<const VisitPerson> seen);

// The form names are compared in: blanks removed (also the full-width
// space U+3000: "张 三" is 张三), the separator dots of transliterated names
// (· U+00B7, • U+2022, ・ U+30FB, ‧ U+2027, ．U+FF0E, '.') made one '·',
// full-width Latin letters made ASCII, ASCII upper-cased. Invalid UTF-8 is
// returned as is, blanks removed.
std::string normalise_person_name(std::string_view name);

}  // namespace pingan
