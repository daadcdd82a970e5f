#pragma once
// How many connections and event streams are open, in all and per client
// address, so that one address (or everyone together) cannot take every
// socket the process has. A Ticket holds one place and gives it back when
// destroyed.
//
// Thread safety: every member may be called from any thread.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pingan {

struct ConnectionLimits {
  int max_connections = 4096;
  int max_per_address = 512;
  int max_streams_per_address = 256;
};

class ConnectionTable {
 public:
  explicit ConnectionTable(ConnectionLimits limits) : limits_(limits) {}

  class Ticket {
   public:
    Ticket() = default;
    Ticket(ConnectionTable* table, std::string address, bool stream)
        : table_(table), address_(std::move(address)), stream_(stream) {}
    Ticket(Ticket&& o) noexcept { *this = std::move(o); }
    Ticket& operator=(Ticket&& o) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { release(); }
    const std::string& address() const { return address_; }

   private:
    void release();
    ConnectionTable* table_ = nullptr;
    std::string address_;
    bool stream_ = false;
  };

  // A place for a new connection from `address`, or empty with the reason.
  std::optional<Ticket> admit(const std::string& address, std::string* why);
  // A place for an event stream (on a connection already admitted).
  std::optional<Ticket> admit_stream(const std::string& address, std::string* why);

  int connections() const;
  int streams() const;

 private:
  struct Counts {
    int connections = 0;
    int streams = 0;
  };
  void release(const std::string& address, bool stream);

  const ConnectionLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Counts> by_address_;  // GUARDED_BY(mutex_)
  int connections_ = 0;                       // GUARDED_BY(mutex_)
  int streams_ = 0;                           // GUARDED_BY(mutex_)
};

}  // namespace pingan
