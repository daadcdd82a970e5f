#include "http/live_hub.h"

#include <fmt/format.h>

#include <algorithm>

#include "dispatch/dispatch_service.h"
#include "core/scope_match.h"
#include "json/incident_json.h"
#include "http/json_reply.h"

namespace pingan {
namespace {

std::string sse_event(const char* name, std::uint64_t id, const nlohmann::json& data) {
  // One line of JSON: SSE data may not hold a raw newline, and dump() without
  // indentation never writes one (newlines in strings are escaped).
  return fmt::format("event: {}\nid: {}\ndata: {}\n\n", name, id, dump_json(data));
}

nlohmann::json unit_change_json(const dispatch::UnitChange& change, const TimeZone& zone) {
  const PatrolUnit& u = change.unit;
  nlohmann::json out = {{"call_sign", u.call_sign},
                        {"kind", patrol_kind_name(u.kind)},
                        {"kind_zh", patrol_kind_label_zh(u.kind)},
                        {"station", u.station_code},
                        {"crew_size", u.crew_size},
                        {"status", patrol_status_name(u.status)},
                        {"status_zh", patrol_status_label_zh(u.status)},
                        {"incident_id", nullptr},
                        {"position", nullptr}};
  if (u.assignment) out["incident_id"] = *u.assignment;
  if (change.position)
    out["position"] = {{"lat", change.position->point.lat},
                       {"lon", change.position->point.lon},
                       {"at", format_local(change.position->at, zone)}};
  return out;
}

}  // namespace

// --- LiveClient ---

std::string LiveClient::take(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  std::string out;
  for (const Queued& q : queue_) out += q.text;
  queue_.clear();
  return out;
}

std::int64_t LiveClient::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void LiveClient::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    wake = std::move(waker_);
    waker_ = nullptr;
  }
  ready_.notify_all();
  if (wake) wake();
}

void LiveClient::set_waker(std::function<void()> waker) {
  std::lock_guard lock(mutex_);
  if (!closed_) waker_ = std::move(waker);
}

bool LiveClient::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void LiveClient::push(const std::string& text, bool is_unit) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() >= capacity_) {
      auto oldest_unit = std::find_if(queue_.begin(), queue_.end(), [](const Queued& q) { return q.is_unit; });
      queue_.erase(oldest_unit != queue_.end() ? oldest_unit : queue_.begin());
      ++dropped_;
    }
    queue_.push_back(Queued{text, is_unit});
    wake = waker_;
  }
  ready_.notify_one();
  if (wake) wake();
}

// --- LiveHub ---

std::shared_ptr<LiveHub> LiveHub::create(Engine& engine, Options options) {
  std::shared_ptr<LiveHub> hub(new LiveHub(engine, options));
  std::weak_ptr<LiveHub> weak = hub;
  engine.subscribe([weak](const IncidentChange& change) {
    if (auto h = weak.lock()) h->publish_incident(change);
  });
  return hub;
}

void LiveHub::attach_dispatch(dispatch::DispatchService& desk) {
  std::weak_ptr<LiveHub> weak = weak_from_this();
  desk.subscribe([weak](const dispatch::UnitChange& change) {
    if (auto h = weak.lock()) h->publish_unit(change);
  });
}

std::shared_ptr<LiveClient> LiveHub::connect(UnitScope scope) {
  auto client = std::make_shared<LiveClient>(std::move(scope), std::max<std::size_t>(options_.queue_capacity, 1));
  std::lock_guard lock(mutex_);
  clients_.push_back(client);
  return client;
}

void LiveHub::close_all() {
  std::vector<std::shared_ptr<LiveClient>> clients;
  {
    std::lock_guard lock(mutex_);
    clients = clients_;
  }
  for (const auto& c : clients) c->close();
}

void LiveHub::disconnect(const std::shared_ptr<LiveClient>& client) {
  client->close();
  std::lock_guard lock(mutex_);
  auto it = std::find(clients_.begin(), clients_.end(), client);
  if (it == clients_.end()) return;
  dropped_gone_ += client->dropped();
  clients_.erase(it);
}

LiveHub::Counters LiveHub::counters() const {
  std::lock_guard lock(mutex_);
  Counters c;
  c.clients = static_cast<std::int64_t>(clients_.size());
  c.sent = sent_;
  c.dropped = dropped_gone_;
  for (const auto& client : clients_) c.dropped += client->dropped();
  return c;
}

void LiveHub::fan_out(const std::string& unit_code, const std::string& text, bool is_unit) {
  auto tree = engine_.units();
  std::lock_guard lock(mutex_);
  for (const auto& client : clients_) {
    if (!scope_holds(client->scope(), unit_code, *tree)) continue;
    client->push(text, is_unit);
    ++sent_;
  }
}

void LiveHub::publish_incident(const IncidentChange& change) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    if (clients_.empty()) return;
    id = next_id_++;
  }
  auto tree = engine_.units();
  const nlohmann::json data = incident_to_json(
      change.incident, IncidentJsonContext{engine_.taxonomy(), engine_.time_zone(), tree.get()});
  fan_out(change.incident.unit_code, sse_event("incident", id, data), false);
}

void LiveHub::publish_unit(const dispatch::UnitChange& change) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    if (clients_.empty()) return;
    id = next_id_++;
  }
  fan_out(change.unit.station_code, sse_event("unit", id, unit_change_json(change, engine_.time_zone())), true);
}

}  // namespace pingan
