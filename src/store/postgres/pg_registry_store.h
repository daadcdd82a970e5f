#pragma once
// The base registry and its cameras in PostgreSQL (store/registry_store.h,
// migration 15), the same rows as SQLite's (store/registry_rows.h). A batch
// is one transaction on one leased connection: each record is read by its
// key FOR UPDATE, compared with what is stored and written only when it
// differs; a new key is inserted ON CONFLICT DO NOTHING and, when another
// server inserted it meanwhile, read back and compared like a stored one,
// so two servers importing the same file at once make one row each.

#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"
#include "store/registry_store.h"

namespace pingan {

class PgRegistryStore final : public RegistryStore {
 public:
  PgRegistryStore(pg::Pool& pool, const stored::PersonalFields& fields) : pool_(pool), fields_(fields) {}

  Result<std::vector<RegistryWrite>> upsert_cameras(std::span<const Camera> cameras) override;
  Result<Camera> get_camera(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Camera>> list_cameras(const RegistryFilter& filter) override;
  Status scan_cameras(const std::function<void(const StoredCamera&)>& visit) override;
  Result<std::int64_t> count_cameras() override;

  Result<std::vector<RegistryWrite>> upsert_places(std::span<const Place> places) override;
  Result<Place> get_place(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Place>> list_places(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_enterprises(std::span<const Enterprise> enterprises) override;
  Result<Enterprise> get_enterprise(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Enterprise>> list_enterprises(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_rental_houses(std::span<const RentalHouse> houses) override;
  Result<RentalHouse> get_rental_house(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<RentalHouse>> list_rental_houses(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_residents(std::span<const Resident> residents) override;
  Result<Resident> get_resident(PersonId person_id, const UnitScope& scope) override;
  Result<RegistryPage<Resident>> list_residents(const RegistryFilter& filter) override;

 private:
  template <typename Record>
  Result<std::vector<RegistryWrite>> upsert(std::span<const Record> records);
  template <typename Record>
  Result<Record> get(const std::string& key, const UnitScope& scope);
  template <typename Record>
  Result<RegistryPage<Record>> list(const RegistryFilter& filter);

  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
