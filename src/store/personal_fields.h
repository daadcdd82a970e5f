#pragma once
// The personal fields of an incident as the incidents table keeps them:
// reporter_phone, reporter_name and reporter_id_number as crypto tokens
// (plain text when the store has no cipher), reporter_phone_hash and
// reporter_id_hash for exact look-ups, and personal_key, the id of the key
// that sealed the row ('' for plain text, NULL for a row without personal
// data), so rows due for re-sealing are found through an index.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/status.h"
#include "crypto/field_cipher.h"

namespace pingan::stored {

// The associated data of each column's tokens: a token moved to another
// column does not open.
inline constexpr std::string_view kPhoneContext = "incidents.reporter_phone";
inline constexpr std::string_view kNameContext = "incidents.reporter_name";
inline constexpr std::string_view kIdNumberContext = "incidents.reporter_id_number";
// A user's TOTP secret: whoever reads the database must not be able to
// compute their codes (ASVS 2.8.1, 2.9.2).
inline constexpr std::string_view kTotpSecretContext = "users.totp_secret";
// A person's fields and a dissuasion task's target phone (issue 20).
inline constexpr std::string_view kPersonNameContext = "persons.name";
inline constexpr std::string_view kPersonIdNumberContext = "persons.id_number";
inline constexpr std::string_view kPersonPhoneContext = "persons.phone";
inline constexpr std::string_view kPersonAddressContext = "persons.address";
inline constexpr std::string_view kDissuasionPhoneContext = "dissuasion_tasks.target_phone";
// A place's contact and a resident's address (the registry, issue 21): the
// same associated data as store/registry_rows.h seals them with.
inline constexpr std::string_view kPlaceContactNameContext = "places.contact_name";
inline constexpr std::string_view kPlaceContactPhoneContext = "places.contact_phone";
inline constexpr std::string_view kResidentAddressContext = "residents.address";
// The keyed hash's kinds.
inline constexpr std::string_view kPhoneHashKind = "phone";
inline constexpr std::string_view kIdNumberHashKind = "id_number";

// The tables besides incidents whose personal columns are sealed column by
// column: persons and dissuasion tasks (issue 20), the registry's places
// and residents (issue 21; its enterprises, rental houses and tenancies
// seal nothing: landlords and tenants are persons). Each keeps personal_key,
// the key of its row's tokens ('' plain text, NULL for a row with no
// personal data), so a rotation finds the rows due by index and re-seals
// them (PersonalDataStore::reencrypt_batch). persons.id_key is written
// again from the opened ID number (id_number_key()): under a rotation the
// same value, the hash key never rotating; for a row written without a key
// ring, the keyed hash that replaces the plain normal form.
struct SealedColumn {
  std::string_view name;     // the column
  std::string_view context;  // its tokens' associated data
};
struct SealedTable {
  std::string_view table;  // "persons"
  std::string_view what;   // "person": errors name the row with it
  std::span<const SealedColumn> columns;
  std::string_view id_key_column = {};  // "id_key", or empty: none
  std::size_t id_number_column = 0;     // with id_key_column: the index of the ID number in `columns`
};
inline constexpr SealedColumn kPersonSealedColumns[] = {{"name", kPersonNameContext},
                                                        {"id_number", kPersonIdNumberContext},
                                                        {"phone", kPersonPhoneContext},
                                                        {"address", kPersonAddressContext}};
inline constexpr SealedColumn kDissuasionSealedColumns[] = {{"target_phone", kDissuasionPhoneContext}};
inline constexpr SealedColumn kPlaceSealedColumns[] = {{"contact_name", kPlaceContactNameContext},
                                                       {"contact_phone", kPlaceContactPhoneContext}};
inline constexpr SealedColumn kResidentSealedColumns[] = {{"address", kResidentAddressContext}};
inline constexpr SealedTable kSealedTables[] = {
    {"persons", "person", kPersonSealedColumns, "id_key", 1},
    {"dissuasion_tasks", "dissuasion task", kDissuasionSealedColumns},
    {"places", "place", kPlaceSealedColumns},
    {"residents", "resident", kResidentSealedColumns}};

// ledger_items (issue 21) seals values inside JSON rather than by column:
// a personal field's value in the item's `fields` and in its history's
// `changes` (ledger_steps) is {"sealed": token}, associated data
// "ledger_items.fields.<code>" (store/ledger_rows.h). A rotation re-seals an
// item's fields and its history together (store/ledger_reseal.h); the
// item's personal_key tells whether it is due, as for the tables above.
inline constexpr std::string_view kLedgerItemsTable = "ledger_items";

// One row of a SealedTable re-sealed under the active key.
struct ResealedRow {
  std::vector<std::string> columns;  // in the table's column order; empty: NULL
  std::optional<std::string> key;    // personal_key: the tokens' key, nullopt with no personal data
  std::string id_key;                // with SealedTable::id_key_column: its value; empty: NULL
};

struct StoredPersonal {
  std::string phone, name, id_number;  // empty: NULL
  std::string phone_hash, id_hash;     // empty: NULL
  std::optional<std::string> key;      // personal_key
};

class PersonalFields {
 public:
  explicit PersonalFields(std::shared_ptr<const crypto::FieldCipher> cipher) : cipher_(std::move(cipher)) {}

  bool sealing() const { return cipher_ != nullptr; }
  // What personal_key a row sealed now gets ('' without a cipher).
  std::string active_key() const { return cipher_ ? cipher_->active_key_id() : std::string(); }
  // The columns for `incident`'s plain personal fields.
  Result<StoredPersonal> seal(const Incident& incident) const;
  // Replaces the tokens in `incident`'s personal fields by their plain text.
  // A token that does not open, or one met without a cipher, is an error
  // naming the incident and the column; plain text is left as it is.
  Status open(Incident& incident) const;
  // One secret of a row other than an incident's (a TOTP secret) for its
  // column: a token under the active key, or the text itself without a
  // cipher. Empty stays empty.
  Result<std::string> seal_text(std::string_view plain, std::string_view context) const;
  // The plain text of what seal_text stored; plain text is returned as it
  // is. A token that does not open, or one met without a cipher, is an
  // error naming `what` ("user zhang: users.totp_secret").
  Result<std::string> open_text(std::string_view stored, std::string_view context, std::string_view what) const;
  // Whether stored text is due for (re-)sealing: plain and non-empty while
  // there is a cipher, or a token under another key than the active one.
  bool due(std::string_view stored) const;
  // Row `id` of `table` as stored (`stored`: its columns' texts in the
  // table's order, '' for NULL) opened and sealed again under the active
  // key. A token that does not open is an error naming the row and column.
  Result<ResealedRow> reseal_row(const SealedTable& table, std::int64_t id,
                                 std::span<const std::string> stored) const;

  // The keyed hash a look-up by phone compares with reporter_phone_hash
  // (nullopt without a cipher).
  Result<std::optional<std::string>> phone_hash(std::string_view phone) const;
  // The key a person is matched on across cases and found by in a fugitive
  // check (store/case_store.h): the keyed hash of the ID number's normal
  // form, or the normal form itself without a cipher (tests, a demo
  // without keys). Never empty for a non-empty number.
  Result<std::string> id_number_key(std::string_view id_number) const;

 private:
  std::shared_ptr<const crypto::FieldCipher> cipher_;
};

}  // namespace pingan::stored
