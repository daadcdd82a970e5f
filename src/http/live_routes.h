#pragma once
// GET /api/stream: the live event stream (server-sent events) for the map.
// Not a JSON reply, so it is served by the connection itself rather than as
// a Route; the server lists it with its routes all the same, and
// docs/openapi.json documents it as text/event-stream.
//
// Events: `incident` (the incident as GET /api/incidents/{id} returns it) on
// every change, `unit` (call sign, kind, station, status, position) on every
// unit change; comment lines (": heartbeat") when nothing was sent for
// `heartbeat`. Query: unit=CODE narrows the client's scope as elsewhere.
//
// A stream holds no thread: it waits on a timer that the hub's push wakes
// (server_detail::serve_live_stream in live_routes.cpp), so a command centre
// can keep a thousand screens open. Streams per client address are limited
// (HttpConfig::max_streams_per_address, 503 over it).

namespace pingan {

inline constexpr const char* kLiveStreamPath = "/api/stream";

}  // namespace pingan
