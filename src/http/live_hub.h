#pragma once
// The live event stream's fan-out (GET /api/stream, server-sent events):
// incident changes from the Engine and unit changes (status, position) from
// the DispatchService, each delivered to the connected clients whose unit
// scope holds it (an incident by its unit, a patrol unit by its station).
//
// Writers never block on a client: each client has a bounded queue, and a
// full queue sheds its oldest unit event (a newer position supersedes it),
// or, holding none, its oldest event; every shed event is counted. Messages
// are formatted once per change, as SSE text, and only when a client is
// connected, so the engine's writers pay nothing without one.
//
// Thread safety: all methods may be called from any thread. Listeners hold
// the hub weakly: once the hub is gone they do nothing.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/unit.h"
#include "engine/engine.h"

namespace pingan::dispatch {
class DispatchService;
struct UnitChange;
}  // namespace pingan::dispatch

namespace pingan {

class LiveClient {
 public:
  LiveClient(UnitScope scope, std::size_t capacity) : scope_(std::move(scope)), capacity_(capacity) {}
  const UnitScope& scope() const { return scope_; }

  // Waits up to `timeout` for events and returns the queued SSE text (empty
  // when none came); returns at once after close().
  std::string take(std::chrono::milliseconds timeout);
  // Events shed from this client's full queue so far.
  std::int64_t dropped() const;
  // Wakes a waiting take(); later pushes are ignored.
  void close();
  bool closed() const;

  // Queues one formatted event; `is_unit` marks a sheddable unit event.
  void push(const std::string& text, bool is_unit);

  // Called (on the pushing thread, without the lock) after each push and on
  // close(), so that an event-driven writer need not wait in take(). It must
  // be quick and must not call back into this client.
  void set_waker(std::function<void()> waker);

 private:
  struct Queued {
    std::string text;
    bool is_unit;
  };
  const UnitScope scope_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Queued> queue_;  // GUARDED_BY(mutex_)
  std::int64_t dropped_ = 0;  // GUARDED_BY(mutex_)
  bool closed_ = false;       // GUARDED_BY(mutex_)
  std::function<void()> waker_;  // GUARDED_BY(mutex_)
};

class LiveHub : public std::enable_shared_from_this<LiveHub> {
 public:
  struct Options {
    std::size_t queue_capacity = 512;  // events per client
  };
  // Subscribes to the engine's incident changes.
  static std::shared_ptr<LiveHub> create(Engine& engine, Options options);
  static std::shared_ptr<LiveHub> create(Engine& engine) { return create(engine, Options{}); }
  // Subscribes to a dispatch desk's unit changes (once per desk).
  void attach_dispatch(dispatch::DispatchService& desk);

  std::shared_ptr<LiveClient> connect(UnitScope scope);
  void disconnect(const std::shared_ptr<LiveClient>& client);
  // Closes every client's queue (the server is stopping): their writers see
  // the close, end their streams, and disconnect.
  void close_all();

  struct Counters {
    std::int64_t clients = 0;  // connected now
    std::int64_t sent = 0;     // events queued to clients
    std::int64_t dropped = 0;  // events shed from full queues (disconnected clients included)
  };
  Counters counters() const;
  Engine& engine() const { return engine_; }

  void publish_incident(const IncidentChange& change);
  void publish_unit(const dispatch::UnitChange& change);

 private:
  LiveHub(Engine& engine, Options options) : engine_(engine), options_(options) {}
  // Queues `text` to every client whose scope holds `unit_code`.
  void fan_out(const std::string& unit_code, const std::string& text, bool is_unit);

  Engine& engine_;
  const Options options_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<LiveClient>> clients_;  // GUARDED_BY(mutex_)
  std::int64_t sent_ = 0;                             // GUARDED_BY(mutex_)
  std::int64_t dropped_gone_ = 0;                     // GUARDED_BY(mutex_): of disconnected clients
  std::uint64_t next_id_ = 1;                         // GUARDED_BY(mutex_): SSE event ids
};

}  // namespace pingan
