// See registry_records.h.

#include "engine/registry_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/scope_match.h"
#include "core/time.h"

namespace pingan {

namespace {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("data_dir", fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Provisional person ids while a batch is checked, before its persons are
// saved: one per ID number, far above any stored id, so that core's checks
// (a tenant's stays do not overlap, the landlord is no tenant) see one
// person as one id.
constexpr PersonId kProvisionalBase = PersonId{1} << 52;

class ProvisionalIds {
 public:
  PersonId of(const std::string& match_key) {
    auto [it, added] = ids_.emplace(match_key, kProvisionalBase + PersonId(ids_.size()));
    return it->second;
  }

 private:
  std::map<std::string, PersonId> ids_;
};

// A person of an entry checked: referenced by id (must exist), or
// validated with an ID number. Returns the id the checks use.
Result<PersonId> check_person(Person& p, const std::string& field, CaseStore& persons, ProvisionalIds& provisional) {
  if (p.id > 0 && p.name.empty()) {
    Result<Person> stored = persons.get_person(p.id);
    if (!stored.ok()) return Error::invalid(field + ".id", fmt::format("no person {}", p.id));
    return p.id;
  }
  Status valid = validate_person(p, now_utc());
  if (!valid.ok()) {
    Error e = valid.error();
    e.field = e.field.empty() ? field : field + "." + e.field;
    return e;
  }
  if (p.id_number.empty())
    return Error::invalid(field + ".id_number",
                          "a person of the registry carries an ID number (a re-run import must find them again)");
  return provisional.of(person_match_key(p));
}

}  // namespace

Result<PlaceCategories> load_place_categories(const std::string& data_dir) {
  const std::string path = data_dir + "/" + kPlaceCategoriesFile;
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return PlaceCategories::parse_csv(text, path);
}

int BatchOutcome::created() const { return int(std::count(writes.begin(), writes.end(), RegistryWrite::kCreated)); }
int BatchOutcome::updated() const { return int(std::count(writes.begin(), writes.end(), RegistryWrite::kUpdated)); }
int BatchOutcome::unchanged() const {
  return int(std::count(writes.begin(), writes.end(), RegistryWrite::kUnchanged));
}

RegistryRecords::RegistryRecords(RegistryStore& store, CaseStore& persons, PlaceCategories categories,
                                 UnitsSource units)
    : store_(store), persons_(persons), categories_(std::move(categories)), units_(std::move(units)) {}

Status RegistryRecords::check_unit(const std::string& code, const UnitScope& scope) const {
  std::shared_ptr<const UnitTree> tree = units_();
  if (!tree->find(code)) return Error::invalid("unit_code", fmt::format("unknown unit '{}'", code));
  if (!scope_holds(scope, code, *tree))
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", code));
  return {};
}

// The common shape of a batch: each row checked by `check` (its own rules
// and its unit), every refusal collected; a unit outside the caller's scope
// refuses the whole batch with kPermissionDenied naming the row.
template <typename Record, typename Check>
static Result<BatchOutcome> check_batch(std::vector<Record>& rows, Check&& check) {
  BatchOutcome out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Status s = check(rows[i], i);
    if (s.ok()) continue;
    if (s.error().code == ErrorCode::kPermissionDenied)
      return Error::permission_denied(fmt::format("row {}: {}", i, s.error().message));
    out.refused.push_back(RefusedRow{i, s.error()});
  }
  return out;
}

Result<std::vector<RefusedRow>> RegistryRecords::check_cameras(std::span<const Camera> cameras,
                                                               const UnitScope& scope) const {
  std::vector<RefusedRow> refused;
  for (std::size_t i = 0; i < cameras.size(); ++i) {
    Status s = validate_camera(cameras[i]);
    if (s.ok()) s = check_unit(cameras[i].unit_code, scope);
    if (s.ok()) continue;
    if (s.error().code == ErrorCode::kPermissionDenied)
      return Error::permission_denied(fmt::format("row {}: {}", i, s.error().message));
    refused.push_back(RefusedRow{i, s.error()});
  }
  return refused;
}

Result<BatchOutcome> RegistryRecords::upsert_cameras(std::vector<Camera> cameras, const UnitScope& scope) {
  BatchOutcome out;
  PINGAN_ASSIGN_OR_RETURN(out.refused, check_cameras(cameras, scope));
  if (!out.refused.empty()) return out;
  PINGAN_ASSIGN_OR_RETURN(out.writes, store_.upsert_cameras(cameras));
  if (out.created() + out.updated() > 0) publish_cameras();
  return out;
}

Result<BatchOutcome> RegistryRecords::upsert_places(std::vector<Place> places, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome out, check_batch(places, [&](const Place& p, std::size_t) -> Status {
                            PINGAN_RETURN_IF_ERROR(validate_place(p, categories_));
                            return check_unit(p.unit_code, scope);
                          }));
  if (!out.refused.empty()) return out;
  PINGAN_ASSIGN_OR_RETURN(out.writes, store_.upsert_places(places));
  return out;
}

Result<BatchOutcome> RegistryRecords::upsert_enterprises(std::vector<Enterprise> enterprises,
                                                         const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome out, check_batch(enterprises, [&](const Enterprise& e, std::size_t) -> Status {
                            PINGAN_RETURN_IF_ERROR(validate_enterprise(e));
                            return check_unit(e.unit_code, scope);
                          }));
  if (!out.refused.empty()) return out;
  PINGAN_ASSIGN_OR_RETURN(out.writes, store_.upsert_enterprises(enterprises));
  return out;
}

Result<BatchOutcome> RegistryRecords::upsert_rental_houses(std::vector<RentalHouseEntry> entries,
                                                           const UnitScope& scope) {
  ProvisionalIds provisional;
  PINGAN_ASSIGN_OR_RETURN(
      BatchOutcome out, check_batch(entries, [&](RentalHouseEntry& e, std::size_t) -> Status {
        // Persons are normalised in place (validate_person), ids filled for core's checks.
        if (e.tenants.size() != e.house.tenants.size())
          return Error::invalid("tenants", fmt::format("{} tenancies but {} tenants", e.house.tenants.size(),
                                                       e.tenants.size()));
        PINGAN_ASSIGN_OR_RETURN(e.house.landlord_id, check_person(e.landlord, "landlord", persons_, provisional));
        for (std::size_t t = 0; t < e.tenants.size(); ++t) {
          PINGAN_ASSIGN_OR_RETURN(e.house.tenants[t].person_id,
                                  check_person(e.tenants[t], fmt::format("tenants[{}].person", t), persons_,
                                               provisional));
        }
        PINGAN_RETURN_IF_ERROR(validate_rental_house(e.house));
        return check_unit(e.house.unit_code, scope);
      }));
  if (!out.refused.empty()) return out;
  // Every row passed: the persons are saved (or matched), then the houses
  // written with their ids. A person saved here stays should the houses'
  // write fail: a person without a record harms nothing and a retry finds them.
  std::map<PersonId, PersonId> stored;  // provisional → stored
  auto resolve = [&](const Person& p, PersonId checked) -> Result<PersonId> {
    if (checked < kProvisionalBase) return checked;
    if (auto it = stored.find(checked); it != stored.end()) return it->second;
    PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved, persons_.save_person(p));
    stored.emplace(checked, saved.person.id);
    return saved.person.id;
  };
  std::vector<RentalHouse> houses;
  houses.reserve(entries.size());
  for (RentalHouseEntry& e : entries) {
    PINGAN_ASSIGN_OR_RETURN(e.house.landlord_id, resolve(e.landlord, e.house.landlord_id));
    for (std::size_t t = 0; t < e.tenants.size(); ++t) {
      PINGAN_ASSIGN_OR_RETURN(e.house.tenants[t].person_id, resolve(e.tenants[t], e.house.tenants[t].person_id));
    }
    houses.push_back(std::move(e.house));
  }
  PINGAN_ASSIGN_OR_RETURN(out.writes, store_.upsert_rental_houses(houses));
  return out;
}

Result<BatchOutcome> RegistryRecords::upsert_residents(std::vector<ResidentEntry> entries, const UnitScope& scope) {
  ProvisionalIds provisional;
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome out,
                          check_batch(entries, [&](ResidentEntry& e, std::size_t) -> Status {
                            PINGAN_ASSIGN_OR_RETURN(e.resident.person_id,
                                                    check_person(e.person, "person", persons_, provisional));
                            PINGAN_RETURN_IF_ERROR(validate_resident(e.resident));
                            return check_unit(e.resident.unit_code, scope);
                          }));
  if (!out.refused.empty()) return out;
  std::vector<Resident> residents;
  residents.reserve(entries.size());
  for (ResidentEntry& e : entries) {
    if (e.resident.person_id >= kProvisionalBase) {
      PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved, persons_.save_person(e.person));
      e.resident.person_id = saved.person.id;
    }
    residents.push_back(std::move(e.resident));
  }
  PINGAN_ASSIGN_OR_RETURN(out.writes, store_.upsert_residents(residents));
  return out;
}

void RegistryRecords::subscribe_cameras(std::function<void()> listener) {
  std::lock_guard lock(listeners_mutex_);
  camera_listeners_.push_back(std::move(listener));
}

void RegistryRecords::publish_cameras() {
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : camera_listeners_) l();
}

Status RegistryRecords::follow(const std::vector<ChangeRecord>& changes) {
  for (const ChangeRecord& c : changes) {
    if (c.kind == ChangeKind::kCamera) {
      publish_cameras();  // once per catch-up: the listeners rebuild from the store
      break;
    }
  }
  return {};
}

}  // namespace pingan
