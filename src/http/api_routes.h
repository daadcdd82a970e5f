#pragma once
// The routes of the JSON API, grouped by the resource they serve. Each group
// only parses the request, calls the Engine and serialises the answer.

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "auth/authority.h"
#include "engine/engine.h"
#include "http/route.h"

namespace pingan {

namespace dispatch {
class DispatchService;
}

namespace analytics {
class IncidentIndex;
class ResponseIndex;
}

namespace cases {
class CaseIndex;
class FugitiveWatch;
}
namespace registry {
class CameraAttachment;
}
namespace ledger {
class LedgerIndex;
}

namespace config {
class LiveSettings;
struct Settings;
}

struct ApiContext {
  Engine& engine;
  // docs/openapi.json as loaded at start; null when it could not be read.
  nlohmann::json openapi;
  std::string openapi_problem;  // why it could not be read
  std::string map_tile_url{};   // HttpConfig::map_tile_url, for the web UI (GET /api/health)

  // The analytics index over the engine's incidents, shared by the
  // statistics routes: attached to the engine (analytics::attach_index) by
  // the first request that needs it (api_context.cpp).
  Result<std::shared_ptr<analytics::IncidentIndex>> index() const;
  mutable std::mutex index_mutex{};
  mutable std::shared_ptr<analytics::IncidentIndex> index_{};  // GUARDED_BY(index_mutex)

  // The response durations behind /api/stats/response, attached to the
  // engine (analytics::attach_response_index) on first use (response_routes.cpp).
  Result<std::shared_ptr<analytics::ResponseIndex>> response_index() const;
  mutable std::mutex response_index_mutex{};
  mutable std::shared_ptr<analytics::ResponseIndex> response_index_{};  // GUARDED_BY(response_index_mutex)

  // The case statistics index (case/case_index.h), attached to the engine
  // (cases::attach_case_index) by the first request that needs it.
  Result<std::shared_ptr<cases::CaseIndex>> case_index() const;
  mutable std::mutex case_index_mutex{};
  mutable std::shared_ptr<cases::CaseIndex> case_index_{};  // GUARDED_BY(case_index_mutex)

  // The fugitive check's listings in memory (case/fugitive_watch.h),
  // attached to the engine by the first check.
  Result<std::shared_ptr<cases::FugitiveWatch>> fugitive_watch() const;
  mutable std::mutex fugitive_watch_mutex{};
  mutable std::shared_ptr<cases::FugitiveWatch> fugitive_watch_{};  // GUARDED_BY(fugitive_watch_mutex)

  // The ledger figures' index (ledger/ledger_index.h), attached to the
  // engine (ledger::attach_ledger_index) by the first request that needs it
  // (ledger_figure_routes.cpp).
  Result<std::shared_ptr<ledger::LedgerIndex>> ledger_index() const;
  mutable std::mutex ledger_index_mutex{};
  mutable std::shared_ptr<ledger::LedgerIndex> ledger_index_{};  // GUARDED_BY(ledger_index_mutex)

  // The registry's cameras and their index (registry/camera_attach.h),
  // attached to the engine by the first call-up.
  Result<std::shared_ptr<registry::CameraAttachment>> camera_index() const;
  mutable std::mutex camera_index_mutex{};
  mutable std::shared_ptr<registry::CameraAttachment> camera_index_{};  // GUARDED_BY(camera_index_mutex)

  // The dispatch desk (patrol units, positions, recommendation), owned by
  // whoever runs the server (`pingan serve`, tests); null: the dispatch
  // routes answer unavailable. Set before start (HttpServer::use_dispatch).
  dispatch::DispatchService* dispatch = nullptr;

  // The settings in force (duplicate rules, response standard, ...), given
  // by whoever runs the server (HttpServer::use_settings) or else read from
  // the shipped data folder at start. A request takes one snapshot.
  std::shared_ptr<config::LiveSettings> settings{};
  std::shared_ptr<const config::Settings> settings_now() const;

  // Sign-in and the permission checks (HttpServer::use_authority, or opened
  // from the shipped data/auth at start). Set before start.
  std::shared_ptr<auth::Authority> authority{};
  // Where the audit entries of sign-ins, writes and refusals go (the audit
  // log, auth/audit_log.h); none: logged only.
  std::function<void(const auth::AuthNote&)> audit{};
  // The same, written by a queue's thread after the answer (auth/audit_queue.h):
  // for reads that must answer fast and are audited each time (the fugitive
  // check). Unset: `audit` is used.
  std::function<void(const auth::AuthNote&)> audit_deferred{};
  // TLS is on: session cookies are marked Secure.
  bool secure_cookies = false;
};

// POST/GET /api/incidents, GET /api/incidents/{id}, POST .../transition,
// GET .../events.
std::vector<Route> incident_routes(const ApiContext& ctx);
// POST /api/auth/login, /logout, /password, GET /api/auth/me; GET/POST /api/users.
std::vector<Route> auth_routes(const ApiContext& ctx);
// POST /api/incidents/{id}/reveal: personal data unmasked, with a reason (audited).
std::vector<Route> reveal_routes(const ApiContext& ctx);
// GET /api/audit.
std::vector<Route> audit_routes(const ApiContext& ctx);
// GET/POST /api/units.
std::vector<Route> unit_routes(const ApiContext& ctx);
// GET /api/health, /api/taxonomy, /api/openapi.json.
std::vector<Route> meta_routes(const ApiContext& ctx);
// GET /api/stats/rising.
std::vector<Route> rising_routes(const ApiContext& ctx);
// GET /api/stats, /api/stats/overview.
std::vector<Route> stats_routes(const ApiContext& ctx);
// GET /api/hotspots, /api/forecast, /api/patrol/suggestions.
std::vector<Route> hotspot_routes(const ApiContext& ctx);
// GET /api/stats/response (1-3-5 compliance).
std::vector<Route> response_routes(const ApiContext& ctx);
// GET /api/incidents/{id}/duplicates, POST /api/incidents/{id}/merge.
std::vector<Route> duplicate_routes(const ApiContext& ctx);
// /api/patrol-units..., POST /api/positions, GET /api/incidents/{id}/recommendation,
// POST /api/incidents/{id}/dispatch.
std::vector<Route> dispatch_routes(const ApiContext& ctx);


// POST/GET /api/posts, POST/GET /api/shifts, GET /api/stats/patrol.
std::vector<Route> patrol_record_routes(const ApiContext& ctx);

// Cases, parties, measures, fraud money (case_routes.cpp).
std::vector<Route> case_routes(const ApiContext& ctx);
// Fugitive listings, the handheld check, dissuasion tasks (fugitive_routes.cpp).
std::vector<Route> fugitive_routes(const ApiContext& ctx);
// The case figures by name and their catalogue (case_figure_routes.cpp).
std::vector<Route> case_figure_routes(const ApiContext& ctx);
// The registry's cameras: call-up, map layer, batch upsert (registry_routes.cpp).
std::vector<Route> registry_routes(const ApiContext& ctx);
// Enterprises, rental houses, residents: paged lists and batch upserts
// (registry_people_routes.cpp); registry_routes() includes them.
std::vector<Route> registry_people_routes(const ApiContext& ctx);
// The ledger figures by name and their catalogue (ledger_figure_routes.cpp).
std::vector<Route> ledger_figure_routes(const ApiContext& ctx);
// The ledgers' types and work items: list, create, read with deadlines, step (ledger_routes.cpp).
std::vector<Route> ledger_routes(const ApiContext& ctx);
// GET /api/ledger-notices: the open reminders and escalations (ledger_notice_routes.cpp).
std::vector<Route> ledger_notice_routes(const ApiContext& ctx);
// Ledgers from spreadsheets: POST /api/ledgers/{type}/import (ledger_file_routes.cpp).
std::vector<Route> ledger_file_routes(const ApiContext& ctx);
// Bulletins written from the records: GET /api/bulletins (bulletin_routes.cpp).
std::vector<Route> bulletin_routes(const ApiContext& ctx);
// Registry lists from spreadsheets: POST /api/registry/{kind}/import (registry_file_routes.cpp).
std::vector<Route> registry_file_routes(const ApiContext& ctx);
// GET /api/ledger-items/{id}/reconciliation: a visit against the registry (visit_routes.cpp).
std::vector<Route> visit_routes(const ApiContext& ctx);
// POST /api/admin/reload-config.
std::vector<Route> admin_routes(const ApiContext& ctx);
// The settings' state for /api/health: data_dir, generation, loaded_at, refused, last_refusal.
nlohmann::json settings_health_json(const ApiContext& ctx);

}  // namespace pingan
