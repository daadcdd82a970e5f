#pragma once
// One spreadsheet row read into a registry record (ingest/registry_import.h):
// the cells by target, typed reads that note a problem instead of failing,
// and one reader per kind. The unit is not read here (the import resolves
// it by code or name and checks the scope); neither is anything the engine
// checks (ID numbers, lengths, ranges), whose refusals the import maps back
// to a column with target_of_field().
//
// Values; no I/O. Not thread-safe (one reader per row).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/camera.h"
#include "core/place_categories.h"
#include "core/registry_records.h"
#include "engine/registry_records.h"
#include "ingest/registry_import_columns.h"
#include "ingest/table_source.h"

namespace pingan::ingest {

class RegistryRowReader {
 public:
  // `columns`: target -> column of the table; `labels` names targets in messages.
  RegistryRowReader(const TableSource& table, const TableRow& row, const std::map<std::string, size_t>& columns,
                    const RegistryColumns& labels);

  const TableRow& row() const { return row_; }
  bool has_column(const std::string& target) const { return columns_.count(target) > 0; }
  // The cell's text, trimmed; "" without a column.
  std::string text(const std::string& target) const;
  bool blank(const std::string& target) const { return text(target).empty(); }
  // Typed reads: nullopt for a blank cell (or no column), and for a bad one
  // after noting its problem.
  std::optional<double> decimal(const std::string& target);
  std::optional<std::int64_t> integer(const std::string& target);
  std::optional<CivilDate> date(const std::string& target);
  // Notes "missing required <label> (<target>)" when the column exists and the cell is blank.
  void require(const std::string& target);
  // A problem at the target's column; at no column when the table has none.
  void problem(const std::string& target, std::string reason);

  bool ok() const { return problems_.empty(); }
  std::vector<RowProblem>& problems() { return problems_; }

 private:
  const TableSource& table_;
  const TableRow& row_;
  const std::map<std::string, size_t>& columns_;
  const RegistryColumns& labels_;
  std::vector<RowProblem> problems_;
};

// Each reads its kind's cells (every required one noted when blank); the
// unit_code is left empty for the import to fill.
Place read_place(RegistryRowReader& r, const PlaceCategories& categories);
Camera read_camera(RegistryRowReader& r);
Enterprise read_enterprise(RegistryRowReader& r);
ResidentEntry read_resident(RegistryRowReader& r);

// A rental house row: the house and landlord, and the row's tenant when it
// names one (tenant name, ID number and 入住日期 then required). Only the
// house's first row must fill the house's and landlord's required cells; a
// later row of the same code may leave them blank (a CSV of a merged sheet).
struct RentalHouseRow {
  RentalHouse house;  // without tenancies
  Person landlord;
  std::optional<Tenancy> tenancy;
  Person tenant;
};
RentalHouseRow read_rental_house_row(RegistryRowReader& r, bool first_of_house);

// The target an engine refusal's field names ("person.id_number" ->
// "id_number", "tenants[2].from" -> "from" with *tenant = 2; "location" ->
// "lat"); empty when none fits. *tenant is -1 unless the field names one.
std::string target_of_field(RegistryKind kind, const std::string& field, int* tenant);

}  // namespace pingan::ingest
