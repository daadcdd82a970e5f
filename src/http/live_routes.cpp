#include "http/live_routes.h"

#include <fmt/format.h>
#include <httplib.h>

#include "http/error_response.h"
#include "http/request_scope.h"

namespace pingan {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(250);

}  // namespace

void install_live_stream(httplib::Server& server, std::shared_ptr<LiveHub> hub,
                         const std::atomic<bool>& stopping, std::chrono::seconds heartbeat) {
  server.Get(kLiveStreamPath, [hub, &stopping, heartbeat](const httplib::Request& req, httplib::Response& res) {
    Engine& engine = hub->engine();
    HttpRequest http;
    auto scope = narrow_scope(scope_for_request(http), req.get_param_value("unit"), *engine.units());
    if (!scope.ok()) {
      write_error(res, scope.error());
      return;
    }
    std::shared_ptr<LiveClient> client = hub->connect(std::move(scope).value());
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");  // proxies must not hold events back
    auto last_write = std::make_shared<std::chrono::steady_clock::time_point>();
    auto started = std::make_shared<bool>(false);
    res.set_chunked_content_provider(
        "text/event-stream",
        [client, &stopping, heartbeat, last_write, started](size_t, httplib::DataSink& sink) {
          auto write = [&](const std::string& text) {
            *last_write = std::chrono::steady_clock::now();
            return sink.write(text.data(), text.size());
          };
          // The first chunk tells the client it is connected (and how soon to retry).
          if (!*started) {
            *started = true;
            return write("retry: 3000\n: connected\n\n");
          }
          while (!stopping.load()) {
            std::string events = client->take(kPoll);
            if (!events.empty()) return write(events);
            if (std::chrono::steady_clock::now() - *last_write >= heartbeat)
              return write(fmt::format(": heartbeat, {} events dropped\n\n", client->dropped()));
          }
          sink.done();
          return true;
        },
        [hub, client](bool) { hub->disconnect(client); });
  });
}

}  // namespace pingan
