#pragma once
// Inside the HTTP server (server.cpp, connection.cpp, live_routes.cpp): what
// every connection shares, and the Boost.Asio/Beast names they use. Not for
// routes: they see only route.h.

// GCC 12 reports every Asio coroutine frame's sized delete as mismatched
// with its allocation (a false positive, gcc PR middle-end/109224); the files
// that include this header write coroutines, so it is silenced for them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "http/api_routes.h"
#include "http/connection_table.h"
#include "http/live_hub.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"

namespace pingan::server_detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::awaitable;

// A connection is served over one of two streams: plain TCP, or TLS over it
// (HttpConfig::tls_cert_file). The request loop, the answers and the live
// stream are templates over the two; timeouts and the socket are those of
// the TCP layer underneath (beast::get_lowest_layer).
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Operations that report errors as values instead of throwing.
inline constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

struct ServerState {
  ServerState(const HttpConfig& c, ApiContext& a, std::shared_ptr<LiveHub> l, const Router& r,
              const StaticFiles& f)
      : config(c),
        api(a),
        live(std::move(l)),
        router(r),
        files(f),
        connections(ConnectionLimits{c.max_connections, c.max_connections_per_address,
                                     c.max_streams_per_address}) {}

  const HttpConfig& config;
  ApiContext& api;
  std::shared_ptr<LiveHub> live;
  const Router& router;
  const StaticFiles& files;
  ConnectionTable connections;
  net::thread_pool* pool = nullptr;  // the route handlers' workers; set at start
  net::ssl::context* tls = nullptr;  // set at start when serving HTTPS; connections then handshake first

  std::atomic<bool> stopping{false};
  std::atomic<int> queued{0};    // route calls handed to the pool and not yet answered
  std::atomic<int> answering{0}; // requests read and not yet fully answered (not streams)

  // Computations in progress, cancelled when the server stops.
  std::mutex deadlines_mutex;
  std::set<Deadline*> deadlines;  // GUARDED_BY(deadlines_mutex)
};

// One accepted connection, from the first request to the close.
awaitable<void> serve_connection(ServerState& s, tcp::socket socket, ConnectionTable::Ticket ticket);
// Answers 503 to a connection over the limits and closes it.
awaitable<void> refuse_connection(ServerState& s, tcp::socket socket, std::string why);

// GET /api/stream on `stream` until the client leaves or the server stops.
// Defined for PlainStream and TlsStream (live_routes.cpp).
template <class Stream>
awaitable<void> serve_live_stream(ServerState& s, Stream& stream, const HttpRequest& req, unsigned http_version);

// Writes one answer; `close` adds Connection: close. Defined for PlainStream
// and TlsStream (connection.cpp).
template <class Stream>
awaitable<beast::error_code> write_reply(ServerState& s, Stream& stream, const HttpResponse& res,
                                         unsigned http_version, bool close, bool head_only);

}  // namespace pingan::server_detail
