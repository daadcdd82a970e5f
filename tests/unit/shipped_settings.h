#pragma once
// The configuration shipped in data/, read once per test binary through the
// same loader as `pingan serve` (config/settings.h).

#include <gtest/gtest.h>

#include "config/settings.h"

namespace pingan::testing {

inline const config::Settings& shipped_settings() {
  static const config::Settings settings = [] {
    auto loaded = config::load_settings("");
    if (!loaded.ok()) ADD_FAILURE() << loaded.error().describe();
    return loaded.ok() ? std::move(loaded).value() : config::Settings{};
  }();
  return settings;
}

}  // namespace pingan::testing
