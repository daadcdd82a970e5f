#include "config/live_settings.h"

#include <fmt/format.h>

namespace pingan::config {

LiveSettings::LiveSettings(Settings initial) {
  state_.data_dir = initial.data_dir;
  state_.loaded_at = now_utc();
  current_ = std::make_shared<const Settings>(std::move(initial));
}

std::shared_ptr<const Settings> LiveSettings::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

LiveSettings::State LiveSettings::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void LiveSettings::on_reload(Listener listener) {
  std::lock_guard lock(reload_mutex_);
  listeners_.push_back(std::move(listener));
}

Result<std::shared_ptr<const Settings>> LiveSettings::reload() {
  std::lock_guard reloading(reload_mutex_);
  std::shared_ptr<const Settings> old = current();
  auto refuse = [&](Error e) -> Error {
    std::lock_guard lock(mutex_);
    ++state_.refused;
    state_.last_refusal = e.describe();
    return e;
  };
  Result<Settings> fresh = load_settings(old->data_dir);
  if (!fresh.ok()) return refuse(fresh.error());
  if (Status same = old->taxonomy.check_same(fresh->taxonomy); !same.ok()) {
    Error e = same.error();
    e.message = fmt::format("{}/{}: {}; the taxonomy is fixed while pingan runs (its indexes are built on it): "
                            "restart to apply",
                            old->data_dir, kTaxonomyFile, e.message);
    return refuse(e);
  }
  auto next = std::make_shared<const Settings>(std::move(fresh).value());
  {
    std::lock_guard lock(mutex_);
    current_ = next;
    ++state_.generation;
    state_.loaded_at = now_utc();
  }
  for (auto& l : listeners_) l(*next);
  return next;
}

}  // namespace pingan::config
