#include "http/live_routes.h"

#include <fmt/format.h>

#include <chrono>

#include "http/auth_gate.h"
#include "http/error_response.h"
#include "http/query_params.h"
#include "http/route_call.h"
#include "http/request_scope.h"
#include "http/server_state.h"

namespace pingan::server_detail {
namespace {

using std::chrono::milliseconds;

// Writes one chunk of the event stream; false when the client is gone.
template <class Stream>
awaitable<bool> send_chunk(ServerState& s, Stream& stream, const std::string& text) {
  beast::get_lowest_layer(stream).expires_after(milliseconds(s.config.write_timeout_ms));
  auto [ec, n] = co_await net::async_write(stream, bhttp::make_chunk(net::buffer(text)), kNoThrow);
  co_return !ec;
}

}  // namespace

template <class Stream>
awaitable<void> serve_live_stream(ServerState& s, Stream& stream, const HttpRequest& req, unsigned http_version) {
  PlainStream& tcp_layer = beast::get_lowest_layer(stream);
  // The scope and a place for one more stream, or the error to answer.
  std::optional<Error> refused;
  std::optional<UnitScope> scope;
  std::optional<ConnectionTable::Ticket> ticket;
  // The caller first: an unknown parameter is nobody's business before sign-in.
  auto admitted = admit(*s.api.authority, req, "stream.read");
  const auth::Principal* who = admitted.ok() && admitted->has_value() ? &**admitted : nullptr;
  if (!admitted.ok()) {
    refused = admitted.error();
    if (s.api.audit)
      s.api.audit({"", "", req.remote_address, "GET /api/stream", "", "refused", admitted.error().message});
  } else if (Status st = refuse_unknown_params(req, ParamNames{"unit"}); !st.ok()) {
    refused = st.error();
  } else if (auto unit = single_param(req, "unit"); !unit.ok()) {
    refused = unit.error();
  } else if (auto narrowed = narrow_scope(scope_of(who), unit->value_or(""), *s.live->engine().units());
             !narrowed.ok()) {
    refused = narrowed.error();
  } else {
    scope = std::move(narrowed).value();
    std::string why;
    ticket = s.connections.admit_stream(req.remote_address, &why);
    if (!ticket) refused = Error::unavailable(why);
  }
  if (refused) {
    co_await write_reply(s, stream, error_reply(*refused), http_version, true, false);
    co_return;
  }

  // The hub's push wakes this coroutine by cancelling its timer; the cancel
  // is posted to the connection's strand, so it cannot slip in between the
  // empty take() and the wait below (both run in one step on that strand).
  // `wake.open` turns false before this frame ends, under the lock a pusher
  // holds while posting, so no post reaches a stream that is gone.
  struct Wake {
    std::mutex mutex;
    bool open = true;
  };
  auto wake = std::make_shared<Wake>();
  auto executor = stream.get_executor();
  auto timer = std::make_shared<net::steady_timer>(executor);
  std::shared_ptr<LiveClient> client = s.live->connect(std::move(*scope));
  client->set_waker([executor, timer, wake] {
    std::lock_guard lock(wake->mutex);
    if (wake->open) net::post(executor, [timer] { timer->cancel(); });
  });
  struct Leave {
    LiveHub& hub;
    std::shared_ptr<LiveClient> client;
    std::shared_ptr<Wake> wake;
    ~Leave() {
      {
        std::lock_guard lock(wake->mutex);
        wake->open = false;
      }
      hub.disconnect(client);
    }
  } leave{*s.live, client, wake};

  // Nothing is read from a stream client; a read that ends means it left.
  // `alive` (touched only on this strand) stops a late read completion from
  // using this frame after it ended. Over TLS the bytes would be TLS records
  // that only the TLS layer may read: there the socket turning readable at
  // all (a close_notify, a hang-up) ends the stream.
  auto gone = std::make_shared<bool>(false);
  auto alive = std::make_shared<bool>(true);
  auto reader = std::make_shared<std::array<char, 512>>();
  std::function<void()> watch = [&tcp_layer, reader, gone, alive, timer, &watch] {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      tcp_layer.socket().async_wait(tcp::socket::wait_read, [gone, alive, timer](beast::error_code) {
        if (!*alive) return;
        *gone = true;
        timer->cancel();
      });
      return;
    }
    tcp_layer.socket().async_read_some(net::buffer(*reader), [gone, alive, timer, &watch](beast::error_code ec, std::size_t) {
      if (!*alive) return;
      if (ec) {
        *gone = true;
        timer->cancel();
        return;
      }
      watch();
    });
  };

  bhttp::response<bhttp::empty_body> head{bhttp::status::ok, http_version};
  head.set(bhttp::field::server, "pingan");
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-cache");
  head.set("X-Accel-Buffering", "no");  // proxies must not hold events back
  HttpResponse secured;
  add_security_headers(secured, true);
  for (const auto& [name, value] : secured.headers) head.set(name, value);
  if constexpr (std::is_same_v<Stream, TlsStream>)
    head.set(bhttp::field::strict_transport_security, "max-age=31536000");
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer(head);
  tcp_layer.expires_after(milliseconds(s.config.write_timeout_ms));
  if (auto [ec, n] = co_await bhttp::async_write_header(stream, serializer, kNoThrow); ec) co_return;

  // The first chunk tells the client it is connected (and how soon to retry).
  if (!co_await send_chunk(s, stream, "retry: 3000\n: connected\n\n")) co_return;
  watch();
  const auto heartbeat = std::chrono::seconds(s.config.stream_heartbeat_s);
  auto last_write = std::chrono::steady_clock::now();
  while (!*gone && !s.stopping.load() && !client->closed()) {
    std::string events = client->take(milliseconds(0));
    if (!events.empty()) {
      if (!co_await send_chunk(s, stream, events)) break;
      last_write = std::chrono::steady_clock::now();
      continue;
    }
    if (std::chrono::steady_clock::now() - last_write >= heartbeat) {
      if (!co_await send_chunk(s, stream, fmt::format(": heartbeat, {} events dropped\n\n", client->dropped()))) break;
      last_write = std::chrono::steady_clock::now();
      continue;
    }
    timer->expires_at(last_write + heartbeat);
    co_await timer->async_wait(kNoThrow);
  }
  // The reader must not outlive this frame's `watch`.
  *alive = false;
  beast::error_code ignored;
  tcp_layer.socket().cancel(ignored);
  if (!*gone) co_await net::async_write(stream, bhttp::make_chunk_last(), kNoThrow);
}

template awaitable<void> serve_live_stream(ServerState&, PlainStream&, const HttpRequest&, unsigned);
template awaitable<void> serve_live_stream(ServerState&, TlsStream&, const HttpRequest&, unsigned);

}  // namespace pingan::server_detail
