#pragma once
// The durable record: one store per database, one interface per domain
// (incidents, units, patrol records; cases, ledgers and users add theirs),
// so that a dialect (store/sqlite/, later store/postgres/) and a new domain
// add files rather than grow one interface. Only the engine holds a Store:
// every other layer reads and writes records through it (docs/architecture.md).
//
// Thread safety: a Store may be shared by the HTTP worker threads; each
// implementation serialises what it must.

#include <memory>
#include <string>

#include "core/status.h"
#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/patrol_store.h"
#include "store/unit_store.h"

namespace pingan {

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations; safe to call on every open.
  virtual Status migrate() = 0;
  virtual int schema_version() = 0;

  virtual IncidentStore& incidents() = 0;
  virtual UnitStore& units() = 0;
  virtual PatrolStore& patrol() = 0;
  // The desk's steps that write patrol records and an incident together.
  virtual DeskStore& desk() = 0;
};

// Opens a store from a location: a file path (SQLite) or, later, a
// postgresql:// URL. Runs migrations.
Result<std::unique_ptr<Store>> open_store(const std::string& location);

}  // namespace pingan
