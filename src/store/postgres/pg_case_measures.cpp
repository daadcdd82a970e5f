// Measures on suspects and fraud money, each checked against what its case
// holds under the case's row lock. See store/postgres/pg_case_store.h.
//
// The lock comes first, the read of earlier entries after it: under READ
// COMMITTED each statement sees the rows committed before it began, so a
// second server waiting for the lock then reads the first's entry and its
// check refuses what only one of them may add (a second 打击处理, a return
// that together with the first's exceeds stopped + frozen).

#include <fmt/format.h>

#include "store/postgres/pg_case_rows.h"
#include "store/postgres/pg_case_store.h"

namespace pingan {

Result<Measure> PgCaseStore::add_measure(const Measure& measure,
                                         const std::function<Status(const std::vector<Measure>& earlier)>& check) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_RETURN_IF_ERROR(lock_case(*c, measure.case_id, "a measure"));
  PINGAN_RETURN_IF_ERROR(pg::require_row(*c, "persons", measure.person_id, "person"));
  pg::Params which;
  which.add(std::int64_t(measure.case_id)).add(std::int64_t(measure.person_id));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM measures WHERE case_id = $1 AND person_id = $2 "
                                              "ORDER BY at, id",
                                              pg::kMeasureColumns),
                                  which,
                                  fmt::format("reading person {}'s measures in case {}", measure.person_id,
                                              measure.case_id)));
  std::vector<Measure> earlier;
  earlier.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(Measure m, pg::read_measure(r, i));
    earlier.push_back(std::move(m));
  }
  PINGAN_RETURN_IF_ERROR(check(earlier));
  pg::Params row;
  row.add(std::int64_t(measure.case_id))
      .add(std::int64_t(measure.person_id))
      .add(measure_kind_name(measure.kind))
      .add(std::int64_t(measure.at))
      .add(measure.unit_code)
      .add(measure.actor)
      .add(measure.note);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted,
                          c->exec("INSERT INTO measures (case_id, person_id, kind, at, unit_code, actor, note) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                  row, fmt::format("adding a measure to case {}", measure.case_id)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  Measure stored = measure;
  stored.id = inserted.int64(0, 0);
  return stored;
}

Result<FraudMoneyEntry> PgCaseStore::add_fraud_money(
    const FraudMoneyEntry& entry, const std::function<Status(const std::vector<FraudMoneyEntry>& recorded)>& check) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_write(tx, *c));
  PINGAN_RETURN_IF_ERROR(lock_case(*c, entry.case_id, "fraud money"));
  pg::Params which;
  which.add(std::int64_t(entry.case_id));
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(fmt::format("SELECT {} FROM fraud_money WHERE case_id = $1 ORDER BY at, id", pg::kMoneyColumns), which,
              fmt::format("reading the fraud money of case {}", entry.case_id)));
  std::vector<FraudMoneyEntry> recorded;
  recorded.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, pg::read_money(r, i));
    recorded.push_back(std::move(e));
  }
  PINGAN_RETURN_IF_ERROR(check(recorded));
  pg::Params row;
  row.add(std::int64_t(entry.case_id))
      .add(fraud_money_kind_name(entry.kind))
      .add(std::int64_t(entry.amount_fen))
      .add(std::int64_t(entry.at))
      .add(entry.unit_code)
      .add(entry.actor)
      .add(entry.note)
      .add(int(entry.override_limit))
      .add(entry.override_reason);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted,
                          c->exec("INSERT INTO fraud_money (case_id, kind, amount_fen, at, unit_code, actor, note, "
                                  "override_limit, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                                  "RETURNING id",
                                  row, fmt::format("adding fraud money to case {}", entry.case_id)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  FraudMoneyEntry stored = entry;
  stored.id = inserted.int64(0, 0);
  return stored;
}

}  // namespace pingan
