#pragma once
// GET /api/stream: the live event stream (server-sent events) for the map.
// Not a JSON reply, so it is registered on the library directly rather than
// as a Route; the server lists it with its routes all the same, and
// docs/openapi.json documents it as text/event-stream.
//
// Events: `incident` (the incident as GET /api/incidents/{id} returns it) on
// every change, `unit` (call sign, kind, station, status, position) on every
// unit change; comment lines (": heartbeat") when nothing was sent for
// `heartbeat`. Query: unit=CODE narrows the client's scope as elsewhere.
//
// A stream holds one worker thread for as long as the client stays
// connected (cpp-httplib's thread pool): `serve --threads` bounds the map
// clients plus concurrent requests.

#include <atomic>
#include <chrono>
#include <memory>

#include "http/live_hub.h"

namespace httplib {
class Server;
}

namespace pingan {

inline constexpr const char* kLiveStreamPath = "/api/stream";

// `stopping` turns true when the server stops: open streams end within
// a quarter of a second.
void install_live_stream(httplib::Server& server, std::shared_ptr<LiveHub> hub,
                         const std::atomic<bool>& stopping, std::chrono::seconds heartbeat);

}  // namespace pingan
