// The registry's batch bodies (json/registry_json.h, json/registry_people_json.h:
// cameras, places, enterprises, rental houses with tenants, residents) over
// arbitrary bytes. The first byte picks the reader, the rest is the body.
// Checked: a body that is not JSON is refused naming "body"; a reader
// answers an error or a batch, never throws; every row is either parsed
// (with its request index) or refused (with a message), each index once.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "json/json_fields.h"
#include "json/registry_json.h"
#include "json/registry_people_json.h"

namespace {

using namespace pingan;

// Each parsed row has its index, each refused one a message, no index twice,
// and together they are the request's rows.
void check_rows(const std::vector<std::size_t>& rows, const std::vector<RefusedRow>& refused, std::size_t parsed,
                const nlohmann::json& body, const char* name) {
  fuzz::check(rows.size() == parsed, "an index for every parsed row");
  std::set<std::size_t> seen(rows.begin(), rows.end());
  for (const RefusedRow& r : refused) {
    fuzz::check(!r.error.message.empty(), "a refused row says why");
    fuzz::check(seen.insert(r.index).second, "each row once");
  }
  fuzz::check(seen.size() == body.at(name).size(), "every row parsed or refused");
  fuzz::check(!refused_rows_json(refused, name).dump().empty(), "the refusals serialise");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data + 1, size - 1));
  if (!body.ok()) {
    fuzz::check(body.error().field == "body", "malformed JSON is refused naming the body");
    return 0;
  }
  switch (data[0] % 5) {
    case 0:
      if (auto b = camera_batch_from_json(*body); b.ok()) check_rows(b->rows, b->refused, b->cameras.size(), *body, "cameras");
      break;
    case 1:
      if (auto b = place_batch_from_json(*body); b.ok()) check_rows(b->rows, b->refused, b->places.size(), *body, "places");
      break;
    case 2:
      if (auto b = enterprise_batch_from_json(*body); b.ok())
        check_rows(b->rows, b->refused, b->records.size(), *body, "enterprises");
      break;
    case 3:
      if (auto b = rental_house_batch_from_json(*body); b.ok()) {
        check_rows(b->rows, b->refused, b->records.size(), *body, "rental_houses");
        for (const RentalHouseEntry& e : b->records)
          fuzz::check(e.tenants.size() == e.house.tenants.size(), "a person for every tenancy");
      }
      break;
    default:
      if (auto b = resident_batch_from_json(*body); b.ok())
        check_rows(b->rows, b->refused, b->records.size(), *body, "residents");
      break;
  }
  return 0;
}
