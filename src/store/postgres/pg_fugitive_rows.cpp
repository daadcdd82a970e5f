// Fugitive listings, their steps and the check by ID number. See
// store/postgres/pg_case_store.h.

#include <fmt/format.h>

#include "core/personal_masks.h"
#include "store/postgres/pg_case_rows.h"
#include "store/postgres/pg_case_store.h"

namespace pingan {
namespace {

// Listings per batch of scan_fugitives.
constexpr int kScanBatch = 5000;

Error listing_taken(const std::string& number) {
  return Error{ErrorCode::kAlreadyExists, "listing_number",
               fmt::format("a fugitive listing numbered '{}' exists already", number)};
}

// kFugitiveColumns prefixed with `f.`, for reads joined with persons.
std::string qualified_fugitive_columns() {
  std::string out;
  std::string_view rest = pg::kFugitiveColumns;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(", ");
    out += (out.empty() ? "f." : ", f.") + std::string(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return out;
}

}  // namespace

Result<Fugitive> PgCaseStore::fugitive_on(pg::Connection& c, FugitiveId id, bool lock) const {
  pg::Params p;
  p.add(std::int64_t(id));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec(fmt::format("SELECT {} FROM fugitives WHERE id = $1{}",
                                                             pg::kFugitiveColumns, lock ? " FOR UPDATE" : ""),
                                                 p, fmt::format("reading fugitive listing {}", id)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no fugitive listing {}", id));
  return pg::read_fugitive(r, 0);
}

Result<Fugitive> PgCaseStore::create_fugitive(const Fugitive& fugitive, std::span<const FugitiveStep> history) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  {
    pg::Params number;
    number.add(fugitive.listing_number);
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult taken, c->exec("SELECT 1 FROM fugitives WHERE listing_number = $1", number,
                                                         "looking up a listing number"));
    if (taken.rows() > 0) return listing_taken(fugitive.listing_number);
  }
  PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "persons", fugitive.person_id, "person"));
  if (fugitive.case_id) PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "cases", *fugitive.case_id, "case"));
  pg::Params row;
  pg::add_fugitive_params(fugitive, row);
  // A listing number taken, now or by a server inserting it at this moment
  // (DO NOTHING waits for its commit), inserts nothing.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted,
                          c->exec(fmt::format("INSERT INTO fugitives ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                                              "$9, $10) ON CONFLICT DO NOTHING RETURNING id",
                                              pg::kFugitiveColumns.substr(4)),
                                  row, fmt::format("inserting fugitive listing {}", fugitive.listing_number)));
  if (inserted.rows() == 0) return listing_taken(fugitive.listing_number);
  Fugitive stored = fugitive;
  stored.id = inserted.int64(0, 0);
  for (const FugitiveStep& step : history)
    PINGAN_RETURN_IF_ERROR(
        pg::append_step(*c, "fugitive_steps", "fugitive_id", stored.id, step, fugitive_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Result<Fugitive> PgCaseStore::get_fugitive(FugitiveId id) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  return fugitive_on(*c, id, false);
}

Result<Fugitive> PgCaseStore::update_fugitive(FugitiveId id,
                                              const std::function<Result<FugitiveStep>(Fugitive&)>& apply) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_ASSIGN_OR_RETURN(Fugitive listing, fugitive_on(*c, id, true));
  PINGAN_ASSIGN_OR_RETURN(FugitiveStep step, apply(listing));
  listing.id = id;
  pg::Params row;
  pg::add_fugitive_params(listing, row);
  row.add(std::int64_t(id));
  PINGAN_RETURN_IF_ERROR(c->run(fmt::format("UPDATE fugitives SET ({}) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                                            "WHERE id = $11",
                                            pg::kFugitiveColumns.substr(4)),
                                row, fmt::format("updating fugitive listing {}", id)));
  PINGAN_RETURN_IF_ERROR(pg::append_step(*c, "fugitive_steps", "fugitive_id", id, step, fugitive_status_name));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return listing;
}

Result<std::vector<FugitiveStep>> PgCaseStore::fugitive_history(FugitiveId id) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  PINGAN_RETURN_IF_ERROR(fugitive_on(*c, id, false));
  PINGAN_ASSIGN_OR_RETURN(std::vector<FugitiveStep> steps, pg::steps_of<FugitiveStatus>(
                                                               *c, "fugitive_steps", "fugitive_id", id,
                                                               parse_fugitive_status));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return steps;
}

Result<std::vector<FugitiveHit>> PgCaseStore::fugitives_by_id_number(const std::string& id_number) {
  std::vector<FugitiveHit> hits;
  if (normalise_id_number(id_number).empty()) return hits;  // nobody is matched on no number
  PINGAN_ASSIGN_OR_RETURN(std::string key, fields_.id_number_key(id_number));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(key);
  // persons.id_key's unique index, then fugitives_person: two index probes.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM persons p JOIN fugitives f ON f.person_id = p.id "
                                              "WHERE p.id_key = $1 ORDER BY f.listed_at DESC, f.id DESC",
                                              qualified_fugitive_columns()),
                                  p, "checking an ID number against the fugitive listings"));
  hits.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    FugitiveHit hit;
    PINGAN_ASSIGN_OR_RETURN(hit.listing, pg::read_fugitive(r, i));
    hit.person_id = hit.listing.person_id;
    hits.push_back(std::move(hit));
  }
  return hits;
}

Status PgCaseStore::scan_fugitives(const std::function<void(const ListingKey&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  const std::string sql = fmt::format("SELECT {}, p.id_key FROM fugitives f JOIN persons p ON p.id = f.person_id "
                                      "WHERE f.id > $1 ORDER BY f.id LIMIT {}",
                                      qualified_fugitive_columns(), kScanBatch);
  FugitiveId after = 0;
  while (true) {
    pg::Params p;
    p.add(std::int64_t(after));
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec(sql, p, "scanning fugitive listings"));
    for (int i = 0; i < r.rows(); ++i) {
      ListingKey key;
      PINGAN_ASSIGN_OR_RETURN(key.listing, pg::read_fugitive(r, i));
      key.id_hash = r.text(i, 11);  // NULL (no ID number) reads as ""
      after = key.listing.id;
      visit(key);
    }
    if (r.rows() < kScanBatch) break;
  }
  return tx.commit();
}

Result<std::string> PgCaseStore::id_number_key(const std::string& id_number) {
  if (normalise_id_number(id_number).empty()) return Error::invalid("id_number", "no ID number to key");
  return fields_.id_number_key(id_number);
}

}  // namespace pingan
