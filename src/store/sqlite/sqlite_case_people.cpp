// Persons and their roles in cases (see store/sqlite/sqlite_case_store.h):
// one person across cases is one row, matched on persons.id_key.

#include <fmt/format.h>

#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_case_store.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using case_rows::BulkCommit;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// A person's four personal fields as their columns keep them.
struct SealedPerson {
  std::string name, id_number, phone, address;
  std::string key;  // personal_key: the key of the tokens, '' plain text
};

Result<SealedPerson> seal_person(const Person& p, const stored::PersonalFields& fields) {
  SealedPerson s;
  PINGAN_ASSIGN_OR_RETURN(s.name, fields.seal_text(p.name, stored::kPersonNameContext));
  PINGAN_ASSIGN_OR_RETURN(s.id_number, fields.seal_text(p.id_number, stored::kPersonIdNumberContext));
  PINGAN_ASSIGN_OR_RETURN(s.phone, fields.seal_text(p.phone, stored::kPersonPhoneContext));
  PINGAN_ASSIGN_OR_RETURN(s.address, fields.seal_text(p.address, stored::kPersonAddressContext));
  s.key = case_rows::sealing_key(s.name, fields);  // a person always has a name
  return s;
}

// The cipher's work for a person, done before the writer's lock, as the
// incident store does.
struct PreparedPerson {
  std::optional<std::string> id_key;  // the match key; none without an ID number
  SealedPerson sealed;
};

Result<PreparedPerson> prepare_person(const Person& person, const stored::PersonalFields& fields) {
  PreparedPerson out;
  if (!person.id_number.empty()) {
    PINGAN_ASSIGN_OR_RETURN(out.id_key, fields.id_number_key(person.id_number));
  }
  PINGAN_ASSIGN_OR_RETURN(out.sealed, seal_person(person, fields));
  return out;
}

// save_person()'s write on the writer inside the caller's transaction: the
// person matched by its key (fields it lacks filled) or inserted.
Result<CaseStore::PersonSaved> save_person_on(sqlite3* db, const stored::PersonalFields& fields,
                                              const Person& person, const PreparedPerson& prepared) {
  const std::optional<std::string>& id_key = prepared.id_key;
  if (id_key) {
    Statement find(db, fmt::format("SELECT {} FROM persons WHERE id_key = ?", case_rows::kPersonColumns));
    if (!find.valid()) return Error::internal(find.prepare_error());
    find.bind(1, std::string_view(*id_key));
    PINGAN_ASSIGN_OR_RETURN(bool found, find.next_row("matching a person by ID number"));
    if (found) {
      PINGAN_ASSIGN_OR_RETURN(Person stored, case_rows::read_person(find, fields));
      find.reset();  // done reading before the row is written
      // Fill what the stored person lacks; overwrite nothing it has.
      const bool fill_phone = stored.phone.empty() && !person.phone.empty();
      const bool fill_address = stored.address.empty() && !person.address.empty();
      if (fill_phone) stored.phone = person.phone;
      if (fill_address) stored.address = person.address;
      if (fill_phone || fill_address) {
        // The whole row sealed again, so that its tokens share one key.
        PINGAN_ASSIGN_OR_RETURN(SealedPerson again, seal_person(stored, fields));
        Statement upd(db,
                      "UPDATE persons SET name = ?, id_number = ?, phone = ?, address = ?, personal_key = ? "
                      "WHERE id = ?");
        if (!upd.valid()) return Error::internal(upd.prepare_error());
        upd.bind(1, std::string_view(again.name));
        upd.bind_text_or_null(2, again.id_number);
        upd.bind_text_or_null(3, again.phone);
        upd.bind_text_or_null(4, again.address);
        upd.bind(5, std::string_view(again.key));
        upd.bind(6, stored.id);
        if (upd.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("filling person {}", stored.id));
      }
      return CaseStore::PersonSaved{std::move(stored), false};
    }
  }
  const SealedPerson& sealed = prepared.sealed;
  Statement ins(db, case_rows::insert_sql("persons", "name, id_number, phone, address, id_key, birth_date, sex, "
                                                     "personal_key"));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  ins.bind(1, std::string_view(sealed.name));
  ins.bind_text_or_null(2, sealed.id_number);
  ins.bind_text_or_null(3, sealed.phone);
  ins.bind_text_or_null(4, sealed.address);
  if (id_key) ins.bind(5, std::string_view(*id_key));
  else ins.bind_null(5);
  const std::string born = person.birth_date ? format_date(*person.birth_date) : std::string();
  ins.bind_text_or_null(6, born);
  if (person.sex) ins.bind(7, std::string_view(sex_name(*person.sex)));
  else ins.bind_null(7);
  ins.bind(8, std::string_view(sealed.key));
  if (ins.step() != SQLITE_DONE) return sqlite::last_error(db, "inserting a person");
  Person stored = person;
  stored.id = sqlite3_last_insert_rowid(db);
  return CaseStore::PersonSaved{std::move(stored), true};
}

// add_party()'s write on the writer inside the caller's transaction.
Status insert_party(sqlite3* db, const CaseParty& party) {
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db, "persons", party.person_id, "person"));
  // Present already: nothing inserted, and so nothing logged.
  Statement st(db, "INSERT INTO case_parties (case_id, person_id, role, added_at, actor) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, party.case_id);
  st.bind(2, party.person_id);
  st.bind(3, std::string_view(person_role_name(party.role)));
  st.bind(4, party.added_at);
  st.bind(5, std::string_view(party.actor));
  if (st.step() != SQLITE_DONE)
    return sqlite::last_error(db, fmt::format("adding person {} to case {}", party.person_id, party.case_id));
  return {};
}

}  // namespace

Result<CaseStore::PersonSaved> SqliteCaseStore::save_person(const Person& person) {
  PINGAN_ASSIGN_OR_RETURN(PreparedPerson prepared, prepare_person(person, fields_));
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(PersonSaved saved, save_person_on(db_, fields_, person, prepared));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return saved;
}

Result<CaseStore::PersonSaved> SqliteCaseStore::save_party(const Person& person, const CaseParty& party) {
  PINGAN_ASSIGN_OR_RETURN(PreparedPerson prepared, prepare_person(person, fields_));
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);  // BEGIN IMMEDIATE: the case cannot go while the party is added
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", party.case_id, "case"));
  PINGAN_ASSIGN_OR_RETURN(PersonSaved saved, save_person_on(db_, fields_, person, prepared));
  CaseParty added = party;
  added.person_id = saved.person.id;
  // A failure from here on rolls the person back with the party.
  PINGAN_RETURN_IF_ERROR(insert_party(db_, added));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return saved;
}

Result<Person> SqliteCaseStore::get_person(PersonId id) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM persons WHERE id = ?", case_rows::kPersonColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, id);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading a person"));
  if (!found) return Error::not_found(fmt::format("no person {}", id));
  return case_rows::read_person(st, fields_);
}

Result<Person> SqliteCaseStore::find_person_by_id_number(const std::string& id_number) {
  if (id_number.empty()) return Error::not_found("no person without an ID number can be found by it");
  PINGAN_ASSIGN_OR_RETURN(const std::string key, fields_.id_number_key(id_number));
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM persons WHERE id_key = ?", case_rows::kPersonColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(key));
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("finding a person by ID number"));
  // The number is personal data: the message does not repeat it.
  if (!found) return Error::not_found("no person with this ID number");
  return case_rows::read_person(st, fields_);
}

Status SqliteCaseStore::add_party(const CaseParty& party) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(case_rows::require_row(db_, "cases", party.case_id, "case"));
  PINGAN_RETURN_IF_ERROR(insert_party(db_, party));
  return tx.commit();
}

}  // namespace pingan
