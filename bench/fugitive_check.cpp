// The fugitive check of issue 20, measured in one run over the same data:
// N listed persons (default one million) written through the engine into a
// SQLite store that seals personal data (XChaCha20-Poly1305, keyed BLAKE2b
// for the ID-number hash), then a mix of ID numbers — half listed, half
// valid numbers nobody listed — checked
//   (a) in process: cases::check_fugitive on the in-memory watch (the
//       keyed hash of the number, one map look-up), what the route runs;
//   (b) the SQLite indexed look-up of the same data: the store's
//       fugitives_by_id_number (keyed hash, index on persons.id_key, join
//       to the listings), what a server without the watch would run;
//   (c) over HTTP: POST /api/fugitives/check with an API token on one
//       keep-alive connection, the answer as a handheld gets it — sign-in
//       check, the check itself and its audit entry (a durable write of the
//       audit log) included;
//   (d) for reference, GET /api/health on the same connection: the HTTP
//       layer's own round trip.
// Every answer of (a) is compared with (b)'s, and (c)'s `wanted` with (a)'s,
// so a fast wrong answer cannot pass. Goals (issue 20): p99 under 50 µs in
// process, under 1 ms over HTTP.
//
//   bench_fugitive_check [--listed 1000000] [--checks 20000] [--http-checks 5000]

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "analytics/timing.h"
#include "auth/authority.h"
#include "case/fugitive_watch.h"
#include "core/id_number.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "engine/engine.h"
#include "http/server.h"
#include "ingest/demo_district.h"

namespace pingan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using bench::percentile;
using bench::seconds_since;

constexpr std::array<const char*, 6> kRegions = {"370102", "370103", "370104", "370105", "370112", "370181"};

// Person i's number: unique for i < 120 million, a real birth date, a valid
// check character.
std::string id_number_of(std::int64_t i) {
  const std::int64_t j = i / 6;
  const Timestamp birth = civil_to_utc(CivilTime{1950, 1, 1, 0, 0, 0}) + (j / 1000 % 20000) * 86400;
  const CivilTime d = utc_to_civil(birth);
  const std::string first17 = fmt::format("{}{:04}{:02}{:02}{:03}", kRegions[i % 6], d.year, d.month, d.day, j % 1000);
  return first17 + id_number_check_char(first17);
}

struct Figures {
  std::vector<double> us;
  std::int64_t wanted = 0;
};

void print_row(const char* name, const Figures& f, double goal_us) {
  fmt::print("| {} | {} | {:.1f} | {:.1f} | {} | {} |\n", name, f.us.size(), percentile(f.us, 0.5),
             percentile(f.us, 0.99), f.wanted, goal_us > 0 ? fmt::format("p99 < {:.0f} µs", goal_us) : "—");
}

int run(std::int64_t listed, int checks, int http_checks) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("pingan-bench-fugitive-{}", ::getpid());
  fs::create_directories(dir);
  int status = 0;
  {
    EngineConfig config{(dir / "cases.db").string(), "", "Asia/Shanghai"};
    config.personal_data.cipher =
        crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305)).value();
    auto opened = Engine::open(config);
    if (!opened.ok()) return fmt::print(stderr, "{}\n", opened.error().describe()), 1;
    Engine& engine = **opened;
    const auto units = ingest::demo_units(ingest::DemoOptions{});
    if (Status st = engine.upsert_units(units); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    std::vector<std::string> stations;
    for (const Unit& u : units)
      if (u.kind == UnitKind::kStation) stations.push_back(u.code);

    // Listed through the engine's door, as an import does: validate, seal,
    // keyed hash, two rows. One in ten already caught (still in the list,
    // no longer wanted).
    const auto t_load = Clock::now();
    if (Status st = engine.cases().begin_bulk(); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    const Timestamp listed_from = civil_to_utc(CivilTime{2015, 1, 1, 0, 0, 0});
    for (std::int64_t i = 0; i < listed; ++i) {
      Fugitive f;
      f.listing_number = fmt::format("T{:09}", i);
      f.listed_at = listed_from + (i % 3000) * 86400;
      f.listing_unit = stations[std::size_t(i) % stations.size()];
      if (i % 10 == 9) {
        f.status = FugitiveStatus::kCaught;
        f.caught_at = f.listed_at + 30 * 86400;
        f.caught_by_unit = f.listing_unit;
      }
      Person p;
      p.name = "在逃人员";
      p.id_number = id_number_of(i);
      auto stored = engine.cases().list_fugitive(std::move(f), std::move(p), "bench");
      if (!stored.ok()) return fmt::print(stderr, "listing {}: {}\n", i, stored.error().describe()), 1;
      if ((i + 1) % 100000 == 0)
        fmt::print(stderr, "\rlisting: {} of {} ({:.0f}/s)", i + 1, listed, double(i + 1) / seconds_since(t_load));
    }
    if (Status st = engine.cases().end_bulk(); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    const double load_s = seconds_since(t_load);
    fmt::print(stderr, "\n");
    const auto t_watch = Clock::now();
    auto watch = cases::attach_fugitive_watch(engine);
    if (!watch.ok()) return fmt::print(stderr, "{}\n", watch.error().describe()), 1;
    const double watch_s = seconds_since(t_watch);
    fmt::print("{} persons listed through the engine in {:.1f} s ({:.0f}/s); the watch loaded {} listings in {:.2f} s\n",
               listed, load_s, double(listed) / load_s, (*watch)->listings(), watch_s);

    // Half listed, half not (numbers of persons beyond the list).
    std::vector<std::string> numbers;
    std::uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < checks; ++k) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      const std::int64_t i = std::int64_t(x % std::uint64_t(listed)) + (k % 2 ? listed : 0);
      numbers.push_back(id_number_of(i));
    }

    Figures in_process, in_sqlite;
    std::vector<bool> wanted(numbers.size());
    for (std::size_t k = 0; k < numbers.size(); ++k) {
      auto t0 = Clock::now();
      auto hit = cases::check_fugitive(engine, **watch, numbers[k]);
      in_process.us.push_back(seconds_since(t0) * 1e6);
      t0 = Clock::now();
      auto rows = engine.cases().fugitives_by_id_number(numbers[k]);
      in_sqlite.us.push_back(seconds_since(t0) * 1e6);
      if (!hit.ok() || !rows.ok()) return fmt::print(stderr, "check {} failed\n", numbers[k]), 1;
      std::size_t open = 0;
      for (const FugitiveHit& h : *rows) open += h.listing.status == FugitiveStatus::kListed;
      if (open != hit->size())
        return fmt::print(stderr, "{}: the watch finds {} open listings, SQLite {}\n", numbers[k], hit->size(), open), 1;
      wanted[k] = !hit->empty();
      in_process.wanted += wanted[k];
      in_sqlite.wanted += open > 0;
    }

    // Over HTTP, as a handheld (a machine client's API token).
    auto opened_authority = auth::Authority::open(engine, "");
    if (!opened_authority.ok()) return fmt::print(stderr, "{}\n", opened_authority.error().describe()), 1;
    std::shared_ptr<auth::Authority> authority = std::move(opened_authority).value();
    auto user = authority->add_user({"bench.handheld", "警务通", "PA", "machine"}, "bench");
    if (!user.ok()) return fmt::print(stderr, "{}\n", user.error().describe()), 1;
    auto token = authority->issue_token("bench.handheld", "bench", {"fugitives.check"}, "bench");
    if (!token.ok()) return fmt::print(stderr, "{}\n", token.error().describe()), 1;
    HttpConfig http;
    http.port = 0;
    http.threads = 2;
    HttpServer server(engine, http);
    server.use_authority(authority);
    if (Status st = server.start(); !st.ok()) return fmt::print(stderr, "{}\n", st.error().describe()), 1;
    httplib::Client client("127.0.0.1", server.port());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    const httplib::Headers auth{{"Authorization", "Bearer " + token->secret}};
    Figures over_http;
    for (int k = 0; k < http_checks + 50; ++k) {
      const std::size_t q = std::size_t(k) % numbers.size();
      const std::string body = nlohmann::json{{"id_number", numbers[q]}}.dump();
      const auto t0 = Clock::now();
      auto res = client.Post("/api/fugitives/check", auth, body, "application/json");
      const double us = seconds_since(t0) * 1e6;
      if (!res || res->status != 200)
        return fmt::print(stderr, "POST /api/fugitives/check answered {}\n", res ? res->body : "nothing"), 1;
      const bool got = nlohmann::json::parse(res->body).value("wanted", false);
      if (got != wanted[q]) return fmt::print(stderr, "{}: HTTP says wanted={}, the watch {}\n", numbers[q], got, bool(wanted[q])), 1;
      if (k >= 50) {  // after a warm-up
        over_http.us.push_back(us);
        over_http.wanted += got;
      }
    }
    // The HTTP layer's own floor, for reference: the lightest authorised
    // route on the same connection.
    Figures floor;
    for (int k = 0; k < http_checks + 50; ++k) {
      const auto t0 = Clock::now();
      auto res = client.Get("/api/health", auth);
      const double us = seconds_since(t0) * 1e6;
      if (!res || res->status != 200) return fmt::print(stderr, "GET /api/health failed\n"), 1;
      if (k >= 50) floor.us.push_back(us);
    }
    server.stop();

    fmt::print("\n| fugitive check, {} listed | checks | p50 µs | p99 µs | wanted | goal |\n|---|---|---|---|---|---|\n",
               listed);
    print_row("(a) in process: watch (keyed hash + map)", in_process, 50);
    print_row("(b) SQLite indexed look-up (keyed hash + index + join)", in_sqlite, 0);
    print_row("(c) HTTP POST /api/fugitives/check (token, audit entry)", over_http, 1000);
    print_row("(d) reference: HTTP GET /api/health (token), same connection", floor, 0);
    fmt::print("\nratio (b)/(a): p50 {:.1f}x, p99 {:.1f}x\n", percentile(in_sqlite.us, 0.5) / percentile(in_process.us, 0.5),
               percentile(in_sqlite.us, 0.99) / percentile(in_process.us, 0.99));
    if (percentile(in_process.us, 0.99) >= 50) status = 2;
  }
  fs::remove_all(dir);
  return status;
}

}  // namespace
}  // namespace pingan

int main(int argc, char** argv) {
  CLI::App app{"the fugitive check: in process, SQLite, HTTP (issue 20)"};
  std::int64_t listed = 1'000'000;
  int checks = 20000, http_checks = 5000;
  app.add_option("--listed", listed, "persons listed")->capture_default_str();
  app.add_option("--checks", checks, "checks in process and in SQLite")->capture_default_str();
  app.add_option("--http-checks", http_checks, "checks over HTTP")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return pingan::run(listed, checks, http_checks);
}
