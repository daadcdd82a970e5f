// The body of POST /api/posts (an array of posts): post_from_json for each,
// as the route does, then dispatch::save_posts on a small desk
// (desk_support.h). Checked: refusals are invalid_argument naming a field;
// a post read from a body writes back to the same JSON (hours included) and
// reads back from it unchanged; saved posts are listed as sent.

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <map>

#include "desk_support.h"
#include "dispatch/patrol_records.h"
#include "json/json_fields.h"
#include "json/patrol_record_json.h"

namespace {

bool same_post(const pingan::PatrolPost& a, const pingan::PatrolPost& b) {
  return a.code == b.code && a.name == b.name && a.kind == b.kind &&
         a.station_code == b.station_code && a.location.lat == b.location.lat &&
         a.location.lon == b.location.lon && a.start_minute == b.start_minute &&
         a.end_minute == b.end_minute;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok() || !body->is_array()) return 0;
  std::vector<PatrolPost> posts;
  for (std::size_t i = 0; i < body->size(); ++i) {
    Result<PatrolPost> p = post_from_json((*body)[i], fmt::format("posts[{}]", i));
    if (!p.ok()) {
      fuzz::check(p.error().code == ErrorCode::kInvalidArgument && !p.error().field.empty(),
                  "a refused post names its field");
      return 0;
    }
    nlohmann::json written = post_to_json(*p);
    written.erase("kind_zh");  // written for people, not read back
    Result<PatrolPost> again = post_from_json(written, "again");
    fuzz::check(again.ok() && same_post(*again, *p), "a post reads back from its own JSON");
    posts.push_back(std::move(p).value());
  }
  fuzz::Desk d = fuzz::fresh_desk();
  Status st = dispatch::save_posts(*d.engine, posts);
  if (!st.ok()) {
    fuzz::check(st.error().code == ErrorCode::kInvalidArgument,
                "a refused batch is invalid_argument");
    return 0;
  }
  std::map<std::string, const PatrolPost*> last;
  for (const PatrolPost& p : posts) last[p.code] = &p;
  auto listed =
      fuzz::must(dispatch::list_posts(*d.engine, UnitScope::everything()), "listing the posts");
  fuzz::check(listed.size() == last.size(), "one post per code");
  for (const PatrolPost& p : listed)
    fuzz::check(last.count(p.code) && same_post(p, *last[p.code]), "a post reads back as sent");
  return 0;
}
