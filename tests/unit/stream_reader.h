#pragma once
// A GET /api/stream client for tests: reads the event stream on its own
// thread, with an API token, until destroyed.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace pingan::testing {

using namespace std::chrono_literals;

// Reads one stream on its own thread until stopped.
class StreamReader {
 public:
  StreamReader(int port, std::string path, std::string token) {
    thread_ = std::thread([this, port, path, token] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(30);
      c.set_bearer_token_auth(token);
      (void)c.Get(path.c_str(), [&](const char* data, size_t n) {
        std::lock_guard lock(mutex_);
        text_.append(data, n);
        return !stop_.load();
      });
    });
  }
  ~StreamReader() {
    stop_ = true;
    thread_.join();
  }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }
  // Waits until the text holds `needle` (true) or `timeout` passes (false).
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout = 5000ms) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (text().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

 private:
  std::thread thread_;
  mutable std::mutex mutex_;
  std::string text_;
  std::atomic<bool> stop_{false};
};

}  // namespace pingan::testing
