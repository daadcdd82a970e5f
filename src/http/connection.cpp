// One connection: read a request within the limits, check its head, hand the
// route to the worker pool, write the answer; again while the client keeps
// the connection alive. Runs on the connection's strand; never blocks.

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

#include "http/error_response.h"
#include "http/json_reply.h"
#include "http/live_routes.h"
#include "http/request_checks.h"
#include "http/request_scope.h"
#include "http/route_call.h"
#include "http/server_state.h"

namespace pingan::server_detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::size_t kReadChunk = 16 * 1024;
// How long and how much a closing connection reads and drops (close_gracefully).
constexpr auto kLingerTime = milliseconds(500);
constexpr std::size_t kLingerBytes = 256 * 1024;

HttpResponse refusal(const Error& error) {
  HttpResponse res = error_reply(error);
  res.close = true;
  return res;
}

HttpResponse timeout_refusal(const char* what) {
  HttpResponse res = refusal(Error::invalid("", fmt::format("the request {} did not arrive in time", what)));
  res.status = 408;
  return res;
}

// Cancels the socket's pending operation when `after` passes, without
// closing it (beast::tcp_stream's own timeout closes the socket, and the
// 408 could not be written). fired() tells a timeout from a failure.
class CancelAfter {
 public:
  CancelAfter(PlainStream& stream, milliseconds after)
      : state_(std::make_shared<State>()), timer_(stream.get_executor()) {
    stream.expires_never();
    timer_.expires_after(after);
    timer_.async_wait([state = state_, &socket = stream.socket()](beast::error_code ec) {
      // `armed` is cleared on this strand when the guarded read ends, before
      // the socket can go away, so a late expiry touches nothing.
      if (ec || !state->armed) return;
      state->fired = true;
      beast::error_code ignored;
      socket.cancel(ignored);
    });
  }
  ~CancelAfter() {
    state_->armed = false;
    timer_.cancel();
  }
  bool fired() const { return state_->fired; }

 private:
  struct State {
    bool armed = true;
    bool fired = false;
  };
  std::shared_ptr<State> state_;
  net::steady_timer timer_;
};

// The answer to a head that could not be read, or none when the client just
// went away. A head over the size limit is 414 while the request line is not
// yet read whole (`line_read`), else 431.
std::optional<HttpResponse> head_read_failure(const beast::error_code& ec, bool line_read, const HttpConfig& c) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::operation_aborted)
    return std::nullopt;
  if (ec == beast::error::timeout) return timeout_refusal("head");
  if (ec == bhttp::error::header_limit) {
    if (!line_read) {
      HttpResponse res = refusal(Error::invalid(
          "path", fmt::format("the request line is longer than the limit of {} bytes", c.max_uri_bytes)));
      res.status = 414;
      return res;
    }
    HttpResponse res = refusal(Error::invalid(
        "headers", fmt::format("the header fields exceed the limit of {} bytes", c.max_header_bytes)));
    res.status = 431;
    return res;
  }
  if (ec == bhttp::error::body_limit)
    return refusal(Error{ErrorCode::kPayloadTooLarge, "body",
                         fmt::format("the request body exceeds the limit of {} bytes", c.max_body_bytes)});
  if (ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length)
    return refusal(Error::invalid("Content-Length", fmt::format("is ambiguous or malformed ({})", ec.message())));
  if (ec == bhttp::error::bad_transfer_encoding)
    return refusal(Error::invalid(
        "Transfer-Encoding", fmt::format("is ambiguous or malformed ({}); send Content-Length or chunked, not both",
                                         ec.message())));
  return refusal(Error::invalid("", fmt::format("the request could not be read: {}", ec.message())));
}

std::optional<HttpResponse> body_read_failure(const beast::error_code& ec, const HttpConfig& c) {
  if (ec == beast::error::timeout) return timeout_refusal("body");
  return head_read_failure(ec, true, c);
}

// The request as routes see it, or the refusal of its head.
Result<HttpRequest> request_from_head(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& peer,
                                      const HttpConfig& c) {
  const auto& head = parser.get();
  HttpRequest req;
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  req.remote_address = peer;
  std::size_t header_bytes = 0;
  for (const auto& field : head) {
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    header_bytes += field.name_string().size() + field.value().size() + 4;
  }
  if (req.target.size() > c.max_uri_bytes)
    return Error{ErrorCode::kInvalidArgument, "path",
                 fmt::format("the request target is {} bytes; the limit is {}", req.target.size(), c.max_uri_bytes)};
  if (static_cast<int>(req.headers.size()) > c.max_header_count || header_bytes > c.max_header_bytes)
    return Error{ErrorCode::kInvalidArgument, "headers",
                 fmt::format("{} header fields of {} bytes; the limits are {} fields and {} bytes", req.headers.size(),
                             header_bytes, c.max_header_count, c.max_header_bytes)};
  PINGAN_RETURN_IF_ERROR(check_framing(req));
  PINGAN_RETURN_IF_ERROR(check_host(req, head.version() >= 11, c.allowed_hosts));
  PINGAN_RETURN_IF_ERROR(split_target(req));
  return req;
}

int status_for_head_error(const Error& e) {
  if (e.field == "path" && e.message.find("the limit is") != std::string::npos) return 414;
  if (e.field == "headers") return 431;
  return http_status_for(e.code);
}

// Runs a route on the worker pool and waits for it without holding the I/O
// thread. While it runs, a client that hangs up cancels its deadline.
awaitable<HttpResponse> call_on_pool(ServerState& s, PlainStream& stream, const Router::Match& match,
                                     const HttpRequest& req, std::string body) {
  if (s.queued.fetch_add(1) >= s.config.max_queued_requests) {
    s.queued.fetch_sub(1);
    co_return error_reply(Error::unavailable(fmt::format(
        "the server is busy ({} requests are waiting for a worker); try again shortly", s.config.max_queued_requests)));
  }
  Deadline deadline(Deadline::Clock::now() + milliseconds(s.config.request_deadline_ms));
  {
    std::lock_guard lock(s.deadlines_mutex);
    s.deadlines.insert(&deadline);
  }
  // The client hanging up shows as the socket turning readable with nothing
  // to read. `watching` (only touched on this strand) keeps the check from
  // touching the socket once the route has answered.
  auto watching = std::make_shared<bool>(true);
  tcp::socket& socket = stream.socket();  // the TCP layer's, under TLS too
  socket.async_wait(tcp::socket::wait_read, [watching, &socket, &deadline](beast::error_code ec) {
    if (ec || !*watching) return;
    char byte;
    if (::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) deadline.cancel();
  });

  HttpResponse res = co_await net::co_spawn(
      *s.pool,
      [&]() -> awaitable<HttpResponse> {
        co_return call_guarded(s.api, *match.route, req, std::move(body), match.path_params, deadline);
      },
      net::use_awaitable);

  *watching = false;
  beast::error_code ignored;
  socket.cancel(ignored);
  {
    std::lock_guard lock(s.deadlines_mutex);
    s.deadlines.erase(&deadline);
  }
  s.queued.fetch_sub(1);
  co_return res;
}

awaitable<HttpResponse> answer(ServerState& s, PlainStream& stream, const HttpRequest& req, std::string body) {
  const std::string_view raw_path = std::string_view(req.target).substr(0, req.target.find('?'));
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  auto match = s.router.find(method, raw_path);
  if (!match.ok()) co_return error_reply(match.error());
  if (*match) {
    // A body-taking route sent no length: HTTP reads that as an empty body,
    // but it is nearly always `curl -X POST` without -d; say so.
    if (method != "GET" && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
      co_return error_reply(Error::invalid("Content-Length",
                                           "a request body needs a Content-Length header or chunked transfer "
                                           "encoding (an empty body too: curl -d '')"));
    co_return co_await call_on_pool(s, stream, **match, req, std::move(body));
  }
  // Not an API route: a file of the web UI, or nothing.
  if (method == "GET" && req.path.rfind("/api/", 0) != 0)
    if (auto file = s.files.find(req.path)) co_return std::move(*file);
  co_return error_reply(no_route_error(s.router, req.method, raw_path));
}

// Stops sending, then reads (and drops) what the client still sends for a
// moment, so that the answer is not lost to a reset; then the socket closes.
// Over TLS the close_notify alert goes first.
template <class Stream>
awaitable<void> close_gracefully(Stream& stream) {
  PlainStream& tcp_layer = beast::get_lowest_layer(stream);
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    tcp_layer.expires_after(kLingerTime);
    // Waits for the client's close_notify too; most clients just close,
    // which ends the wait with an error that changes nothing here.
    co_await stream.async_shutdown(kNoThrow);
  }
  beast::error_code ec;
  tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  std::array<char, 4096> sink;
  std::size_t drained = 0;
  tcp_layer.expires_after(kLingerTime);
  while (drained < kLingerBytes) {
    auto [read_ec, n] = co_await tcp_layer.async_read_some(net::buffer(sink), kNoThrow);
    if (read_ec) break;
    drained += n;
  }
  tcp_layer.close();
}

// Requests on one connection, plain or TLS, until it closes. True when the
// client may still be sending a request that was not read (close_gracefully).
template <class Stream>
awaitable<bool> serve_requests(ServerState& s, Stream& stream, const ConnectionTable::Ticket& ticket) {
  const HttpConfig& c = s.config;
  PlainStream& tcp_layer = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  bool linger = false;  // the client may still be sending a request we did not read
  try {
    while (!s.stopping.load()) {
      // Waiting for the next request costs nothing but this frame; a
      // connection quiet for the idle time is closed without an answer.
      if (buffer.size() == 0) {
        tcp_layer.expires_after(seconds(c.idle_timeout_s));
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kNoThrow);
        if (ec) break;
        buffer.commit(n);
      }
      bhttp::request_parser<bhttp::string_body> parser;
      // Beast counts the request line with the fields; both are checked
      // apart once the head is in (request_from_head).
      parser.header_limit(static_cast<std::uint32_t>(c.max_uri_bytes + c.max_header_bytes + 64));
      parser.body_limit(c.max_body_bytes);
      beast::error_code head_ec;
      {
        CancelAfter timeout(tcp_layer, milliseconds(c.header_timeout_ms));
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
        head_ec = timeout.fired() ? beast::error_code(beast::error::timeout) : ec;
      }
      if (head_ec) {
        // Beast sets the target once the request line is read whole.
        if (auto res = head_read_failure(head_ec, !parser.get().target().empty(), c)) {
          co_await write_reply(s, stream, *res, 11, true, false);
          linger = true;
        }
        break;
      }
      const unsigned version = parser.get().version();
      auto req = request_from_head(parser, ticket.address(), c);
      if (!req.ok()) {
        HttpResponse res = refusal(req.error());
        res.status = status_for_head_error(req.error());
        co_await write_reply(s, stream, res, version, true, false);
        linger = true;
        break;
      }
      s.answering.fetch_add(1);
      struct Done {
        std::atomic<int>& n;
        ~Done() { n.fetch_sub(1); }
      } done{s.answering};
      if (!parser.is_done()) {
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, version};
          tcp_layer.expires_after(milliseconds(c.write_timeout_ms));
          auto [ec, n] = co_await bhttp::async_write(stream, go_on, kNoThrow);
          if (ec) break;
        }
        beast::error_code body_ec;
        {
          CancelAfter timeout(tcp_layer, milliseconds(c.body_timeout_ms));
          auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
          body_ec = timeout.fired() ? beast::error_code(beast::error::timeout) : ec;
        }
        if (body_ec) {
          if (auto res = body_read_failure(body_ec, c)) {
            co_await write_reply(s, stream, *res, version, true, false);
            linger = true;
          }
          break;
        }
      }
      const bool keep_alive = parser.get().keep_alive();
      if (req->method == "GET" && req->path == kLiveStreamPath) {
        co_await serve_live_stream(s, stream, *req, version);
        break;
      }
      HttpResponse res = co_await answer(s, tcp_layer, *req, std::move(parser.get().body()));
      const bool close = res.close || !keep_alive || s.stopping.load();
      auto ec = co_await write_reply(s, stream, res, version, close, req->method == "HEAD");
      spdlog::debug("{} {} -> {}", req->method, req->target, res.status);
      if (ec || close) break;
    }
  } catch (const std::exception& e) {
    spdlog::error("connection from {} ended by an unexpected failure: {}", ticket.address(), e.what());
  }
  co_return linger;
}

}  // namespace

template <class Stream>
awaitable<beast::error_code> write_reply(ServerState& s, Stream& stream, const HttpResponse& res,
                                         unsigned http_version, bool close, bool head_only) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), http_version};
  out.set(bhttp::field::server, "pingan");
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  HttpResponse secured_headers;
  secured_headers.headers = res.headers;
  add_security_headers(secured_headers, res.content_type.rfind("application/json", 0) == 0);
  for (const auto& [name, value] : secured_headers.headers) out.insert(name, value);
  // A browser that once reached the server over HTTPS never tries plain HTTP on it again.
  if constexpr (std::is_same_v<Stream, TlsStream>)
    out.set(bhttp::field::strict_transport_security, "max-age=31536000");
  out.keep_alive(!close);
  out.body() = head_only ? std::string() : res.body;
  out.prepare_payload();
  if (head_only) out.content_length(res.body.size());
  beast::get_lowest_layer(stream).expires_after(milliseconds(s.config.write_timeout_ms));
  bhttp::response_serializer<bhttp::string_body> serializer(out);
  if (head_only) {
    auto [ec, n] = co_await bhttp::async_write_header(stream, serializer, kNoThrow);
    co_return ec;
  }
  auto [ec, n] = co_await bhttp::async_write(stream, serializer, kNoThrow);
  co_return ec;
}

template awaitable<beast::error_code> write_reply(ServerState&, PlainStream&, const HttpResponse&, unsigned, bool,
                                                  bool);
template awaitable<beast::error_code> write_reply(ServerState&, TlsStream&, const HttpResponse&, unsigned, bool, bool);

awaitable<void> refuse_connection(ServerState& s, tcp::socket socket, std::string why) {
  spdlog::debug("connection refused: {}", why);
  // Over TLS the refusal would cost a handshake, which is what an
  // over-the-limit client must not get from us; it is just closed.
  if (s.tls) co_return;
  PlainStream stream(std::move(socket));
  HttpResponse res = refusal(Error::unavailable(why));
  co_await write_reply(s, stream, res, 11, true, false);
  co_await close_gracefully(stream);
}

awaitable<void> serve_connection(ServerState& s, tcp::socket socket, ConnectionTable::Ticket ticket) {
  if (!s.tls) {
    PlainStream stream(std::move(socket));
    if (co_await serve_requests(s, stream, ticket)) co_await close_gracefully(stream);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  TlsStream stream(std::move(socket), *s.tls);
  // The handshake is held to the head's time limit: a client that opens a
  // connection and never finishes it holds nothing for longer.
  beast::get_lowest_layer(stream).expires_after(milliseconds(s.config.header_timeout_ms));
  auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, kNoThrow);
  if (ec) {
    spdlog::debug("TLS handshake with {} failed: {}", ticket.address(), ec.message());
    co_return;
  }
  if (co_await serve_requests(s, stream, ticket)) {
    co_await close_gracefully(stream);
    co_return;
  }
  beast::get_lowest_layer(stream).expires_after(kLingerTime);
  co_await stream.async_shutdown(kNoThrow);  // close_notify, so the client knows the answer was whole
}

}  // namespace pingan::server_detail
