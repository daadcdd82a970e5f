#pragma once
// How long each text field of a record may be, and the one check of it.
//
// Limits count characters — Unicode code points of the UTF-8 text — not
// bytes, so an address of 500 characters is allowed whether it is written in
// Chinese (3 bytes a character) or in Latin letters. The validators in core
// (validate_new_incident, apply_transition, validate_unit,
// validate_patrol_unit, validate_post, validate_shift), parse_iso8601 and the
// dispatch desk apply these; docs/api.md lists them and docs/openapi.json
// states each as maxLength (tests/unit/text_limits_test.cpp keeps the three
// in step).

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace pingan {

// Codes and keys: unit, station and post codes, call signs, incident type,
// unit and source.
inline constexpr std::size_t kMaxCodeChars = 64;
// Names of units and posts, and of people: actors, follow-up assignees.
inline constexpr std::size_t kMaxNameChars = 100;
// One capability of a patrol unit ("rapid", "swat").
inline constexpr std::size_t kMaxRoleChars = 32;
// A source's own identifiers of an incident: source_id, case_number, original_code.
inline constexpr std::size_t kMaxSourceRefChars = 128;
inline constexpr std::size_t kMaxPhoneChars = 24;
// A resident identity card number (GB 11643): 18 characters.
inline constexpr std::size_t kMaxIdNumberChars = 18;
inline constexpr std::size_t kMaxAddressChars = 500;
// A transition's note (the follow-up assessment when it tasks a visit).
inline constexpr std::size_t kMaxNoteChars = 2000;
inline constexpr std::size_t kMaxDescriptionChars = 4000;
// An ISO 8601 time; the longest useful one ("2024-06-01T08:30:00.123456+08:00")
// is 32 characters, the rest leaves room for longer fractions of a second.
inline constexpr std::size_t kMaxTimeChars = 40;
// A local hour of duty, HH:MM.
inline constexpr std::size_t kMaxHourChars = 5;

// Characters (code points) in valid UTF-8 text.
std::size_t utf8_length(std::string_view text);

// Error::invalid(field, "is 5000 characters; the limit is 2000") when `text`
// holds more than `max_chars` characters, Error::invalid(field, "is not
// valid UTF-8") when it is not UTF-8 (its characters cannot be counted).
Status check_length(std::string_view field, std::string_view text, std::size_t max_chars);

}  // namespace pingan
