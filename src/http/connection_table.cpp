#include "http/connection_table.h"

#include <fmt/format.h>

#include <utility>

namespace pingan {

ConnectionTable::Ticket& ConnectionTable::Ticket::operator=(Ticket&& o) noexcept {
  if (this != &o) {
    release();
    table_ = std::exchange(o.table_, nullptr);
    address_ = std::move(o.address_);
    stream_ = o.stream_;
  }
  return *this;
}

void ConnectionTable::Ticket::release() {
  if (table_) std::exchange(table_, nullptr)->release(address_, stream_);
}

std::optional<ConnectionTable::Ticket> ConnectionTable::admit(const std::string& address, std::string* why) {
  std::lock_guard lock(mutex_);
  if (connections_ >= limits_.max_connections) {
    *why = fmt::format("the server holds its limit of {} connections; try again shortly", limits_.max_connections);
    return std::nullopt;
  }
  Counts& c = by_address_[address];
  if (c.connections >= limits_.max_per_address) {
    *why = fmt::format("{} holds its limit of {} connections to this server", address, limits_.max_per_address);
    return std::nullopt;
  }
  ++c.connections;
  ++connections_;
  return Ticket(this, address, false);
}

std::optional<ConnectionTable::Ticket> ConnectionTable::admit_stream(const std::string& address, std::string* why) {
  std::lock_guard lock(mutex_);
  Counts& c = by_address_[address];
  if (c.streams >= limits_.max_streams_per_address) {
    *why = fmt::format("{} holds its limit of {} open event streams", address, limits_.max_streams_per_address);
    return std::nullopt;
  }
  ++c.streams;
  ++streams_;
  return Ticket(this, address, true);
}

void ConnectionTable::release(const std::string& address, bool stream) {
  std::lock_guard lock(mutex_);
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return;
  if (stream) {
    --it->second.streams;
    --streams_;
  } else {
    --it->second.connections;
    --connections_;
  }
  if (it->second.connections == 0 && it->second.streams == 0) by_address_.erase(it);
}

int ConnectionTable::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

int ConnectionTable::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

}  // namespace pingan
