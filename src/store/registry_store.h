#pragma once
// The base registry (基础数字方舱, issue 21) and its cameras, durably:
// cameras, places, enterprises, rental houses with their tenancies, and
// residents (户籍, 流动). The rules are core's (core/camera.h,
// core/registry_records.h); the engine validates, checks units and scope,
// and saves the persons a record names (CaseStore::save_person: one person
// across the registry and the cases, matched by ID number) before calling
// here. Only the engine calls it.
//
// Implemented for SQLite (store/sqlite/sqlite_registry_store.h) and
// PostgreSQL (store/postgres/pg_registry_store.h), tables of migration 15
// (docs/schema.md).
//
// Upsert by key: a camera, place, enterprise or rental house by its code, a
// resident by its person. A record equal to the stored one (its personal
// fields compared opened, a rental house with its tenancies) is not
// written, so an import run again changes nothing and logs nothing. A batch
// is one transaction: every row is written or none.
//
// Reads take a UnitScope: a record outside it is not found, and lists hold
// only the records of units inside it. Lists are pages in key order (code;
// a resident's person id), keyset-paged by the last key of the previous page.
//
// Personal data: a place's contact name and phone and a resident's address
// are sealed with the store's cipher like a reporter's (contexts in
// store/registry_rows.h), opened on read; personal_key records the key of
// the row's tokens. Persons themselves are the persons table's (migration 13).
//
// Change log (store/change_log.h): each camera written logs kind `camera`
// with the camera's row id, so another server rebuilds its camera index
// (registry/camera_attach.h). The other registry records are not logged:
// nothing downstream keeps them in memory (their lists read the store).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/camera.h"
#include "core/person.h"
#include "core/registry_records.h"
#include "core/status.h"
#include "core/unit.h"

namespace pingan {

// What an upsert did to one record.
enum class RegistryWrite : std::uint8_t { kCreated, kUpdated, kUnchanged };
const char* registry_write_name(RegistryWrite w);  // "created", "updated", "unchanged"

// A page of registry records of one kind.
struct RegistryFilter {
  UnitScope scope = UnitScope::everything();
  int limit = 100;  // 1..1000
  // Keyset paging: the key of the last record of the previous page (a code;
  // for residents the person id in decimal). Empty: the first page.
  std::string after;
};

template <typename Record>
struct RegistryPage {
  std::vector<Record> records;
  bool more = false;  // another page follows
};

// A camera as stored: its row id is what the change log names.
struct StoredCamera {
  std::int64_t id = 0;
  Camera camera;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  // ---- cameras ----
  virtual Result<std::vector<RegistryWrite>> upsert_cameras(std::span<const Camera> cameras) = 0;
  virtual Result<Camera> get_camera(const std::string& code, const UnitScope& scope) = 0;
  virtual Result<RegistryPage<Camera>> list_cameras(const RegistryFilter& filter) = 0;
  // Every camera in code order, for building the camera index. `visit` must
  // not call the store.
  virtual Status scan_cameras(const std::function<void(const StoredCamera&)>& visit) = 0;
  virtual Result<std::int64_t> count_cameras() = 0;

  // ---- places ----
  virtual Result<std::vector<RegistryWrite>> upsert_places(std::span<const Place> places) = 0;
  virtual Result<Place> get_place(const std::string& code, const UnitScope& scope) = 0;
  virtual Result<RegistryPage<Place>> list_places(const RegistryFilter& filter) = 0;

  // ---- enterprises ----
  virtual Result<std::vector<RegistryWrite>> upsert_enterprises(std::span<const Enterprise> enterprises) = 0;
  virtual Result<Enterprise> get_enterprise(const std::string& code, const UnitScope& scope) = 0;
  virtual Result<RegistryPage<Enterprise>> list_enterprises(const RegistryFilter& filter) = 0;

  // ---- rental houses (with their tenancies, replaced as a whole) ----
  // kNotFound naming the person when a landlord or tenant id names no person.
  virtual Result<std::vector<RegistryWrite>> upsert_rental_houses(std::span<const RentalHouse> houses) = 0;
  virtual Result<RentalHouse> get_rental_house(const std::string& code, const UnitScope& scope) = 0;
  virtual Result<RegistryPage<RentalHouse>> list_rental_houses(const RegistryFilter& filter) = 0;

  // ---- residents (one per person) ----
  virtual Result<std::vector<RegistryWrite>> upsert_residents(std::span<const Resident> residents) = 0;
  virtual Result<Resident> get_resident(PersonId person_id, const UnitScope& scope) = 0;
  virtual Result<RegistryPage<Resident>> list_residents(const RegistryFilter& filter) = 0;
};

}  // namespace pingan
