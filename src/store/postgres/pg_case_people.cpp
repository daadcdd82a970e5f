// Persons (sealed, matched by the ID number's keyed hash) and their roles
// in cases. See store/postgres/pg_case_store.h.

#include <fmt/format.h>

#include "core/personal_masks.h"
#include "store/postgres/pg_case_rows.h"
#include "store/postgres/pg_case_store.h"

namespace pingan {
namespace {

// A person's sealed columns, as save_person writes them.
struct SealedPerson {
  std::string name, id_number, phone, address;
};

Result<SealedPerson> seal_person(const stored::PersonalFields& fields, const Person& p) {
  SealedPerson s;
  PINGAN_ASSIGN_OR_RETURN(s.name, fields.seal_text(p.name, stored::kPersonNameContext));
  PINGAN_ASSIGN_OR_RETURN(s.id_number, fields.seal_text(p.id_number, stored::kPersonIdNumberContext));
  PINGAN_ASSIGN_OR_RETURN(s.phone, fields.seal_text(p.phone, stored::kPersonPhoneContext));
  PINGAN_ASSIGN_OR_RETURN(s.address, fields.seal_text(p.address, stored::kPersonAddressContext));
  return s;
}

// Row `row` of a SELECT of kPersonColumns, its fields opened.
Result<Person> open_person(const stored::PersonalFields& fields, const pg::PgResult& r, int row) {
  Person p;
  p.id = r.int64(row, 0);
  const std::string what = fmt::format("person {}", p.id);
  PINGAN_ASSIGN_OR_RETURN(p.name, fields.open_text(r.view(row, 1), stored::kPersonNameContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.id_number, fields.open_text(r.view(row, 2), stored::kPersonIdNumberContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.phone, fields.open_text(r.view(row, 3), stored::kPersonPhoneContext, what));
  PINGAN_ASSIGN_OR_RETURN(p.address, fields.open_text(r.view(row, 4), stored::kPersonAddressContext, what));
  if (!p.id_number.empty()) {
    // The number was checked when saved; its facts are read from it again.
    if (auto born = birth_date_of_id(p.id_number); born.ok()) p.birth_date = *born;
    if (auto sex = sex_of_id(p.id_number); sex.ok()) p.sex = *sex;
  }
  return p;
}

}  // namespace

Result<Person> PgCaseStore::person_on(pg::Connection& c, PersonId id) const {
  pg::Params p;
  p.add(std::int64_t(id));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c.exec(fmt::format("SELECT {} FROM persons WHERE id = $1", pg::kPersonColumns), p,
                                 fmt::format("reading person {}", id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no person {}", id));
  return open_person(fields_, r, 0);
}

Result<CaseStore::PersonSaved> PgCaseStore::save_person_on(pg::Connection& c, const Person& person) const {
  const std::string match = person_match_key(person);
  std::string id_key;  // empty: never matched (NULL, and NULLs do not conflict)
  if (!match.empty()) {
    PINGAN_ASSIGN_OR_RETURN(id_key, fields_.id_number_key(match));
  }
  PINGAN_ASSIGN_OR_RETURN(SealedPerson sealed, seal_person(fields_, person));
  pg::Params row;
  row.add(sealed.name).add_text_or_null(sealed.id_number).add_text_or_null(id_key);
  row.add_text_or_null(sealed.phone).add_text_or_null(sealed.address);
  if (person.birth_date) row.add(format_date(*person.birth_date));
  else row.add_null();
  if (person.sex) row.add(sex_name(*person.sex));
  else row.add_null();
  row.add(fields_.active_key());

  // A second server saving the same number at once waits here for the
  // first's commit, inserts nothing and reads the first's row below.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted,
                          c.exec("INSERT INTO persons (name, id_number, id_key, phone, address, birth_date, sex, "
                                 "personal_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                                 "ON CONFLICT (id_key) DO NOTHING RETURNING id",
                                 row, "inserting a person"));
  PersonSaved saved;
  if (inserted.rows() == 1) {
    saved.person = person;
    saved.person.id = inserted.int64(0, 0);
    saved.created = true;
    return saved;
  }
  pg::Params key;
  key.add(id_key);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult found,
                          c.exec(fmt::format("SELECT {} FROM persons WHERE id_key = $1 FOR UPDATE", pg::kPersonColumns),
                                 key, "reading the person of an ID number"));
  if (found.rows() == 0) return Error::internal("a person's ID number conflicted, but no person holds it");
  PINGAN_ASSIGN_OR_RETURN(saved.person, open_person(fields_, found, 0));
  // Fill what the stored person lacks; never overwrite what it has.
  const bool fill_phone = saved.person.phone.empty() && !person.phone.empty();
  const bool fill_address = saved.person.address.empty() && !person.address.empty();
  if (fill_phone || fill_address) {
    if (fill_phone) saved.person.phone = person.phone;
    if (fill_address) saved.person.address = person.address;
    // The whole row sealed again, so that its tokens share one key.
    PINGAN_ASSIGN_OR_RETURN(SealedPerson again, seal_person(fields_, saved.person));
    pg::Params fill;
    fill.add(std::int64_t(saved.person.id)).add(again.name).add_text_or_null(again.id_number);
    fill.add_text_or_null(again.phone).add_text_or_null(again.address).add(fields_.active_key());
    PINGAN_RETURN_IF_ERROR(c.run("UPDATE persons SET name = $2, id_number = $3, phone = $4, address = $5, "
                                 "personal_key = $6 WHERE id = $1",
                                 fill, fmt::format("filling person {}'s phone and address", saved.person.id)));
  }
  return saved;
}

Result<CaseStore::PersonSaved> PgCaseStore::save_person(const Person& person) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(PersonSaved saved, save_person_on(*c, person));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return saved;
}

Result<CaseStore::PersonSaved> PgCaseStore::save_party(const Person& person, const CaseParty& party) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  // The case first, locked as add_measure locks it: no person is written
  // for a case that does not exist, and the party's insert cannot race the
  // case's removal.
  PINGAN_RETURN_IF_ERROR(lock_case(*c, party.case_id, "a party"));
  PINGAN_ASSIGN_OR_RETURN(PersonSaved saved, save_person_on(*c, person));
  CaseParty added = party;
  added.person_id = saved.person.id;
  // A failure from here on rolls the person back with the party.
  PINGAN_RETURN_IF_ERROR(insert_party(*c, added));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return saved;
}

Result<Person> PgCaseStore::get_person(PersonId id) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  return person_on(*c, id);
}

Result<Person> PgCaseStore::find_person_by_id_number(const std::string& id_number) {
  const std::string match = normalise_id_number(id_number);
  if (match.empty()) return Error::not_found("no person without an ID number is found by one");
  PINGAN_ASSIGN_OR_RETURN(std::string key, fields_.id_number_key(match));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(key);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM persons WHERE id_key = $1", pg::kPersonColumns), p,
                                  "finding a person by ID number"));
  if (r.rows() == 0) return Error::not_found("no person with this ID number");
  return open_person(fields_, r, 0);
}

Status PgCaseStore::insert_party(pg::Connection& c, const CaseParty& party) const {
  pg::Params p;
  p.add(std::int64_t(party.case_id))
      .add(std::int64_t(party.person_id))
      .add(person_role_name(party.role))
      .add(std::int64_t(party.added_at))
      .add(party.actor);
  PINGAN_RETURN_IF_ERROR(pg::require_row(c, "persons", party.person_id, "person"));
  return c.run(fmt::format("INSERT INTO case_parties ({}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                           pg::kPartyColumns),
               p, fmt::format("adding person {} to case {}", party.person_id, party.case_id));
}

Status PgCaseStore::add_party(const CaseParty& party) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_RETURN_IF_ERROR(lock_case(*c, party.case_id, "a party"));
  PINGAN_RETURN_IF_ERROR(insert_party(*c, party));
  return tx.commit();
}

}  // namespace pingan
