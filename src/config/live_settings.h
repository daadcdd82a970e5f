#pragma once
// The settings a running server answers with, and their reload (SIGHUP, or
// POST /api/admin/reload-config): the whole data folder is read and checked
// again, and swapped in only when every file is good, so a bad edit leaves
// the settings in force and says which file, line and why. Readers take a
// snapshot (current()) and keep it for their request.
//
// What cannot change while pingan runs is refused too: the taxonomy (the
// engine and the analytics indexes are built on its classes and types).
//
// Thread safety: every method may be called from any thread; reloads run
// one at a time; listeners run on the reloading thread after the swap.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/settings.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan::config {

class LiveSettings {
 public:
  explicit LiveSettings(Settings initial);

  std::shared_ptr<const Settings> current() const;

  // All or nothing; returns the settings now in force.
  Result<std::shared_ptr<const Settings>> reload();

  // Called with the new settings after each successful reload (the dispatch
  // desk takes its tunables and run cards from here).
  using Listener = std::function<void(const Settings&)>;
  void on_reload(Listener listener);

  struct State {
    std::string data_dir;
    std::int64_t generation = 1;  // 1 at start, +1 per successful reload
    Timestamp loaded_at = 0;
    std::int64_t refused = 0;     // reloads refused since start
    std::string last_refusal;     // the newest refusal's message, "" when none
  };
  State state() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Settings> current_;  // GUARDED_BY(mutex_)
  State state_;                              // GUARDED_BY(mutex_)
  std::mutex reload_mutex_;                  // one reload at a time
  std::vector<Listener> listeners_;          // GUARDED_BY(reload_mutex_)
};

}  // namespace pingan::config
