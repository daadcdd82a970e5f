#pragma once
// The engine's door for the base registry and its cameras (issue 21):
// core's rules before every write (validate_camera, validate_place with the
// place categories of data/registry/place_categories.csv, ...), the checks
// that need the unit tree or other records (each unit known and in the
// caller's scope; the persons a rental house or a resident names saved or
// matched by ID number in the persons table the cases use), the store's
// write, then an event to the camera listeners (registry/camera_attach.h).
// Engine::registry() owns one; nothing else writes these records.
//
// A batch is checked whole before anything is written: any refused row
// refuses the batch, and every refused row is named by its index and field
// (BatchOutcome::refused), so a caller fixes them all in one pass.

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/camera.h"
#include "core/person.h"
#include "core/place_categories.h"
#include "core/registry_records.h"
#include "core/unit.h"
#include "store/case_store.h"
#include "store/change_log.h"
#include "store/registry_store.h"

namespace pingan {

// Reads and checks data/registry/place_categories.csv in `data_dir`; errors
// name the file and line.
Result<PlaceCategories> load_place_categories(const std::string& data_dir);

// One row of a batch refused, and why (error.field names the row's field,
// "stream_url"; `index` the row, from 0).
struct RefusedRow {
  std::size_t index = 0;
  Error error;
};

struct BatchOutcome {
  std::vector<RegistryWrite> writes;  // by row, when nothing was refused
  std::vector<RefusedRow> refused;    // non-empty: nothing was written
  // The rows of `writes` that were created, updated, left as they were.
  int created() const;
  int updated() const;
  int unchanged() const;
};

// A rental house with the persons it names: `landlord` and tenants[i] the
// person of house.tenants[i]. A person with an id (> 0) and no name refers
// to a stored person; otherwise it is validated (validate_person), must
// carry an ID number (an import run again must find the same person) and
// is saved or matched by it. The house's person ids are filled from them.
struct RentalHouseEntry {
  RentalHouse house;
  Person landlord;
  std::vector<Person> tenants;
};

// A resident with their person (the same rules as a rental house's).
struct ResidentEntry {
  Resident resident;
  Person person;
};

class RegistryRecords {
 public:
  using UnitsSource = std::function<std::shared_ptr<const UnitTree>()>;
  RegistryRecords(RegistryStore& store, CaseStore& persons, PlaceCategories categories, UnitsSource units);

  const PlaceCategories& place_categories() const { return categories_; }

  // The refusals upsert_cameras() would give, without writing: each row
  // by core's rules and its unit (index from 0). kPermissionDenied naming
  // the row for a unit outside `scope`.
  Result<std::vector<RefusedRow>> check_cameras(std::span<const Camera> cameras, const UnitScope& scope) const;

  // ---- writes: validated, units known and in `scope`, stored, published ----
  Result<BatchOutcome> upsert_cameras(std::vector<Camera> cameras, const UnitScope& scope);
  Result<BatchOutcome> upsert_places(std::vector<Place> places, const UnitScope& scope);
  Result<BatchOutcome> upsert_enterprises(std::vector<Enterprise> enterprises, const UnitScope& scope);
  Result<BatchOutcome> upsert_rental_houses(std::vector<RentalHouseEntry> entries, const UnitScope& scope);
  Result<BatchOutcome> upsert_residents(std::vector<ResidentEntry> entries, const UnitScope& scope);

  // ---- reads within `scope` (a record outside it is not found) ----
  Result<Camera> get_camera(const std::string& code, const UnitScope& scope) { return store_.get_camera(code, scope); }
  Result<RegistryPage<Camera>> list_cameras(const RegistryFilter& f) { return store_.list_cameras(f); }
  Result<Place> get_place(const std::string& code, const UnitScope& scope) { return store_.get_place(code, scope); }
  Result<RegistryPage<Place>> list_places(const RegistryFilter& f) { return store_.list_places(f); }
  Result<RegistryPage<Enterprise>> list_enterprises(const RegistryFilter& f) { return store_.list_enterprises(f); }
  Result<RegistryPage<RentalHouse>> list_rental_houses(const RegistryFilter& f) {
    return store_.list_rental_houses(f);
  }
  Result<RegistryPage<Resident>> list_residents(const RegistryFilter& f) { return store_.list_residents(f); }
  // One house with its tenancies, one resident (engine/visit_reconciler.h).
  Result<RentalHouse> get_rental_house(const std::string& code, const UnitScope& scope) {
    return store_.get_rental_house(code, scope);
  }
  Result<Resident> get_resident(PersonId person_id, const UnitScope& scope) {
    return store_.get_resident(person_id, scope);
  }
  // The persons a page names, by id (for masked answers).
  Result<Person> get_person(PersonId id) { return persons_.get_person(id); }

  // Every camera (the camera index's start), in code order.
  Status scan_cameras(const std::function<void(const StoredCamera&)>& visit) { return store_.scan_cameras(visit); }

  // ---- events ----
  // Called after a batch that created or updated a camera, on the writing
  // thread, and from follow() when another process changed one; keep it
  // quick (the camera attachment rebuilds its index off this thread or
  // cheaply on it).
  void subscribe_cameras(std::function<void()> listener);
  // Engine::catch_up's share: kCamera changes of other processes.
  Status follow(const std::vector<ChangeRecord>& changes);

 private:
  // Error::invalid(field) for a unit not in the tree; kPermissionDenied for
  // one outside `scope` (as incidents and cases answer).
  Status check_unit(const std::string& code, const UnitScope& scope) const;
  // The stored person for `p`: referenced by id, or saved/matched by ID number.
  Result<PersonId> person_id_for(Person p, const std::string& field);
  void publish_cameras();

  RegistryStore& store_;
  CaseStore& persons_;
  PlaceCategories categories_;
  UnitsSource units_;
  std::mutex listeners_mutex_;
  std::vector<std::function<void()>> camera_listeners_;  // GUARDED_BY(listeners_mutex_)
};

}  // namespace pingan
