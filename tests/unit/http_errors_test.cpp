// Every error class of the HTTP API answers with the JSON error form and the
// status from the one table, and the server keeps serving afterwards.

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "http/error_response.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// The JSON error form, checked in one place.
void expect_error(const JsonResponse& r, int status, const std::string& code,
                  const std::string& field = "", const std::string& message_part = "") {
  EXPECT_EQ(r.status, status) << r.raw;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8") << r.raw;
  ASSERT_TRUE(r.body.is_object() && r.body.contains("error")) << r.raw;
  const json& e = r.body["error"];
  EXPECT_EQ(e.value("code", ""), code) << r.raw;
  EXPECT_FALSE(e.value("message", "").empty()) << r.raw;
  if (!field.empty()) {
    EXPECT_EQ(e.value("field", ""), field) << r.raw;
  }
  if (!message_part.empty()) {
    EXPECT_NE(e.value("message", "").find(message_part), std::string::npos)
        << "want '" << message_part << "' in " << r.raw;
  }
}

class HttpErrorsTest : public HttpServerTest {
 protected:
  // A route that throws, and one that returns each error code, to test the
  // exception boundary and the status table end to end.
  void add_extra_routes(HttpServer& server) override {
    server.add_routes({
        {"GET", "/test/throw", auth::kPublic,
         [](const RouteRequest&) -> Result<Reply> { throw std::runtime_error("boom"); }},
        {"GET", "/test/throw-int", auth::kPublic, [](const RouteRequest&) -> Result<Reply> { throw 42; }},
        {"GET", "/test/error/{code}", auth::kPublic,
         [](const RouteRequest& r) -> Result<Reply> {
           for (ErrorCode c :
                {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kConflict,
                 ErrorCode::kAlreadyExists, ErrorCode::kPayloadTooLarge, ErrorCode::kUnavailable,
                 ErrorCode::kInternal})
             if (r.path_params.at(0) == error_code_name(c)) return Error{c, "f", "made to fail"};
           return Reply{200, {{"ok", true}}, {}};
         }},
    });
  }
  void expect_healthy() {
    JsonResponse h = get("/api/health");
    EXPECT_EQ(h.status, 200) << h.raw;
    EXPECT_EQ(h.body.value("status", ""), "ok");
  }
  std::int64_t create_theft() {
    JsonResponse r = post("/api/incidents",
                          json{{"type", "theft"}, {"reported_at", "2024-06-01T08:00:00+08:00"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", std::int64_t{0});
  }
};

TEST_F(HttpErrorsTest, EveryErrorCodeMapsToItsStatusThroughOneTable) {
  const std::pair<const char*, int> table[] = {
      {"invalid_argument", 400},  {"not_found", 404},   {"conflict", 409}, {"already_exists", 409},
      {"payload_too_large", 413}, {"unavailable", 503}, {"internal", 500}};
  for (auto [code, status] : table) {
    expect_error(get(std::string("/test/error/") + code), status, code, "f", "made to fail");
  }
  EXPECT_EQ(get("/test/error/none").status, 200);
}

TEST_F(HttpErrorsTest, ValidationErrorsNameTheField) {
  expect_error(
      post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 95}, {"lon", 117}}}}),
      400, "invalid_argument", "location.lat", "95");
  expect_error(post("/api/incidents", json{{"reported_at", "2024-06-01T08:00:00Z"}}), 400,
               "invalid_argument", "type");
  expect_error(post("/api/incidents", json{{"type", "no_such_type"}}), 400, "invalid_argument",
               "type", "no_such_type");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"reported_at", "yesterday"}}), 400,
               "invalid_argument", "reported_at", "yesterday");
  expect_error(
      post("/api/incidents", json{{"type", "theft"}, {"reported_at", "2999-01-01T00:00:00Z"}}), 400,
      "invalid_argument", "reported_at", "future");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"reporter_phone", "call me"}}), 400,
               "invalid_argument", "reporter_phone");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"unit", "NO-SUCH-UNIT"}}), 400,
               "invalid_argument", "unit", "NO-SUCH-UNIT");
  expect_error(
      post("/api/incidents", json{{"type", "theft"}, {"locaton", {{"lat", 1}, {"lon", 2}}}}), 400,
      "invalid_argument", "locaton", "not a known field");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 1}}}}), 400,
               "invalid_argument", "location.lon", "required");
  expect_error(get("/api/incidents/abc"), 400, "invalid_argument", "id");
  expect_error(get("/api/incidents?stauts=received"), 400, "invalid_argument", "stauts");
  expect_error(get("/api/incidents?status=lost"), 400, "invalid_argument", "status", "lost");
  expect_error(get("/api/incidents?class=nonsense"), 400, "invalid_argument", "class");
  expect_error(get("/api/incidents?type=nonsense"), 400, "invalid_argument", "type");
  expect_error(get("/api/incidents?unit=NOPE"), 400, "invalid_argument", "unit", "NOPE");
  expect_error(get("/api/incidents?limit=0"), 400, "invalid_argument", "limit");
  expect_error(get("/api/incidents?limit=5000"), 400, "invalid_argument", "limit", "5000");
  expect_error(get("/api/incidents?limit=ten"), 400, "invalid_argument", "limit");
  expect_error(get("/api/incidents?offset=-1"), 400, "invalid_argument", "offset");
  expect_error(get("/api/incidents?from=2024-13-01"), 400, "invalid_argument", "from");
  expect_error(get("/api/incidents?from=2024-06-02&to=2024-06-01"), 400, "invalid_argument", "to");
  expect_error(get("/api/incidents?bbox=1,2,3"), 400, "invalid_argument", "bbox");
  expect_error(get("/api/incidents?bbox=117,36,116,37"), 400, "invalid_argument", "bbox");
  expect_error(get("/api/incidents?bbox=117,36,200,37"), 400, "invalid_argument", "bbox");
  expect_error(get("/api/units?geometry=maybe"), 400, "invalid_argument", "geometry");
}

TEST_F(HttpErrorsTest, WrongJsonTypesNameTheField) {
  expect_error(post("/api/incidents", json{{"type", 5}}), 400, "invalid_argument", "type",
               "string");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"location", "36.6,117.1"}}), 400,
               "invalid_argument", "location", "object");
  expect_error(post("/api/incidents",
                    json{{"type", "theft"}, {"location", {{"lat", "36.6"}, {"lon", 117.1}}}}),
               400, "invalid_argument", "location.lat", "number");
  expect_error(post("/api/incidents", json{{"type", "theft"}, {"description", json::array()}}), 400,
               "invalid_argument", "description", "string");
  expect_error(post("/api/incidents", json::array()), 400, "invalid_argument", "body", "object");
  expect_error(post("/api/incidents", std::string("\"just a string\"")), 400, "invalid_argument",
               "body");
  auto id = create_theft();
  expect_error(post(fmt::format("/api/incidents/{}/transition", id), json{{"to", 3}}), 400,
               "invalid_argument", "to");
  expect_error(
      post(fmt::format("/api/incidents/{}/transition", id), json{{"to", "dispatched"}, {"at", 12}}),
      400, "invalid_argument", "at", "string");
  expect_error(post("/api/units", json{{{"code", "X"}, {"name", "x"}, {"kind", 1}}}), 400,
               "invalid_argument", "[0].kind");
  expect_error(
      post("/api/units", json{{{"code", "X"},
                               {"name", "x"},
                               {"kind", "station"},
                               {"boundary", {{"type", "Polygon"}, {"coordinates", {{{1, 2}}}}}}}}),
      400, "invalid_argument", "[0].boundary.coordinates[0]");
}

TEST_F(HttpErrorsTest, MalformedJsonNamesTheParsePositionAndTheServerGoesOn) {
  JsonResponse r = post("/api/incidents", std::string(R"({"type": "theft",, })"));
  expect_error(r, 400, "invalid_argument", "body", "at byte 18");
  expect_error(post("/api/incidents", std::string("")), 400, "invalid_argument", "body", "empty");
  expect_error(post("/api/incidents", std::string(R"({"type": "theft")")), 400, "invalid_argument",
               "body", "malformed JSON");
  expect_healthy();
}

TEST_F(HttpErrorsTest, InvalidUtf8InAStringFieldIsRefused) {
  std::string body = std::string(R"({"type":"theft","description":"bad )") + "\xC3\x28" + "\"}";
  expect_error(post("/api/incidents", body), 400, "invalid_argument", "body", "UTF-8");
  std::string overlong = std::string(R"({"type":"theft","address":")") + "\xC0\xAF" + "\"}";
  expect_error(post("/api/incidents", overlong), 400, "invalid_argument", "body");
  std::string surrogate = std::string(R"({"type":"theft","address":")") + "\xED\xA0\x80" + "\"}";
  expect_error(post("/api/incidents", surrogate), 400, "invalid_argument", "body");
  EXPECT_EQ(get("/api/incidents").body["total"], 0);
  expect_healthy();
}

TEST_F(HttpErrorsTest, OversizedBodyIs413AndTheServerKeepsServing) {
  std::string big =
      json{{"type", "theft"}, {"description", std::string(kMaxBody + 10, 'x')}}.dump();
  expect_error(post("/api/incidents", big), 413, "payload_too_large", "body",
               std::to_string(kMaxBody));
  expect_healthy();
  // Right under the limit is read (and refused for the description's length,
  // which is the engine's rule, not the transport's).
  std::string under =
      json{{"type", "theft"}, {"description", std::string(kMaxBody - 200, 'x')}}.dump();
  expect_error(post("/api/incidents", under), 400, "invalid_argument", "description");
  expect_healthy();
}

// Sends `count` copies of `piece` as one chunked body.
httplib::Result post_chunked(httplib::Client& c, const std::string& path, const std::string& piece,
                             int count) {
  return c.Post(
      path.c_str(),
      [&, sent = 0](size_t, httplib::DataSink& sink) mutable {
        if (sent++ < count) {
          sink.write(piece.data(), piece.size());
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
}

TEST_F(HttpErrorsTest, ChunkedBodiesAreReadWithinTheLimit) {
  auto c = client();
  JsonResponse ok = to_json_response(post_chunked(*c, "/api/incidents", R"({"type":"theft"})", 1));
  EXPECT_EQ(ok.status, 201) << ok.raw;
  // 100 KB of spaces in 1 KB chunks: over the 64 KB limit, read to the end
  // but not kept, refused, and the server goes on.
  auto c2 = client();
  JsonResponse big =
      to_json_response(post_chunked(*c2, "/api/incidents", std::string(1024, ' '), 100));
  expect_error(big, 413, "payload_too_large", "body");
  JsonResponse units = to_json_response(post_chunked(*client(), "/api/units", "[]", 1));
  EXPECT_EQ(units.status, 200) << units.raw;
  expect_healthy();
}

// Writes a raw request and returns the raw response, read until the server
// closes or 5 s pass.
std::string raw_exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ::send(fd, request.data(), request.size(), 0);
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
      out.append(buf, static_cast<size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos && out.find("}}") != std::string::npos) break;
    }
  }
  ::close(fd);
  return out;
}

TEST_F(HttpErrorsTest, BodyWithNoLengthIsAnsweredAtOnceWithoutWaitingForIt) {
  const auto start = std::chrono::steady_clock::now();
  std::string r = raw_exchange(server_->port(), "POST /api/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 400") << r;
  EXPECT_NE(r.find("Content-Length header or chunked"), std::string::npos) << r;
  // A DELETE nobody serves, with no length: 404, also without waiting.
  std::string d =
      raw_exchange(server_->port(), "DELETE /api/incidents/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(d.substr(0, 12), "HTTP/1.1 404") << d;
  // The library's read timeout is 5 s; answering before it means nothing waited.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  expect_healthy();
}

TEST_F(HttpErrorsTest, NotFoundRecordsAndRoutesAnswerJson404) {
  expect_error(get("/api/incidents/999999"), 404, "not_found");
  expect_error(get("/api/incidents/999999/events"), 404, "not_found");
  expect_error(post("/api/incidents/999999/transition", json{{"to", "dispatched"}}), 404,
               "not_found");
  expect_error(get("/api/nothing-here"), 404, "not_found", "", "GET /api/nothing-here");
  expect_error(get("/"), 404, "not_found");
  // A path served for another method says which.
  JsonResponse wrong = to_json_response(client()->Delete("/api/incidents"));
  expect_error(wrong, 404, "not_found", "", "serves GET, POST");
  expect_healthy();
}

TEST_F(HttpErrorsTest, DuplicateSourceIdIs409AlreadyExists) {
  json body = {{"type", "theft"},
               {"source", "jn110"},
               {"source_id", "A-1"},
               {"reported_at", "2024-06-01T08:00:00+08:00"}};
  ASSERT_EQ(post("/api/incidents", body).status, 201);
  expect_error(post("/api/incidents", body), 409, "already_exists");
  body["source"] = "other";
  EXPECT_EQ(post("/api/incidents", body).status, 201);  // unique within a source only
  EXPECT_EQ(get("/api/incidents").body["total"], 2);
}

TEST_F(HttpErrorsTest, IllegalTransitionIs409NamingFromToAndTheAllowedSteps) {
  auto id = create_theft();
  const std::string path = fmt::format("/api/incidents/{}/transition", id);
  JsonResponse r = post(path, json{{"to", "closed"}});
  expect_error(r, 409, "conflict", "to");
  const std::string msg = r.body["error"].value("message", "");
  for (const char* part : {"received", "closed", "allowed: dispatched, handled"})
    EXPECT_NE(msg.find(part), std::string::npos) << part << " missing in " << msg;
  expect_error(post(path, json{{"to", "flying"}}), 400, "invalid_argument", "to", "flying");
  // The follow-up task needs its officer and deadline.
  ASSERT_EQ(post(path, json{{"to", "handled"}, {"at", "2024-06-01T08:10:00+08:00"}}).status, 200);
  expect_error(post(path, json{{"to", "followup"}, {"at", "2024-06-01T08:20:00+08:00"}}), 400,
               "invalid_argument", "assignee");
  expect_error(
      post(path, json{{"to", "followup"}, {"at", "2024-06-01T08:20:00+08:00"}, {"assignee", "李"}}),
      400, "invalid_argument", "deadline");
  // A step may not go back in time.
  expect_error(post(path, json{{"to", "closed"}, {"at", "2024-06-01T07:00:00+08:00"}}), 400,
               "invalid_argument", "at");
  ASSERT_EQ(post(path, json{{"to", "closed"}, {"at", "2024-06-01T08:30:00+08:00"}}).status, 200);
  r = post(path, json{{"to", "dispatched"}});
  expect_error(r, 409, "conflict", "to", "closed");
}

TEST_F(HttpErrorsTest, ExceptionInAHandlerIs500JsonAndTheWorkerGoesOn) {
  expect_error(get("/test/throw"), 500, "internal", "", "boom");
  expect_error(get("/test/throw-int"), 500, "internal", "", "unknown exception");
  // More throws than worker threads: none is lost.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(get("/test/throw").status, 500);
  expect_healthy();
}

TEST_F(HttpErrorsTest, BadUnitTreeIsRefusedWhole) {
  expect_error(
      post("/api/units",
           json{{{"code", "A"}, {"name", "a"}, {"kind", "station"}, {"parent", "MISSING"}}}),
      400, "invalid_argument", "parent", "MISSING");
  expect_error(post("/api/units", json{{{"code", "A B"}, {"name", "a"}, {"kind", "station"}}}), 400,
               "invalid_argument", "code");
  expect_error(post("/api/units", json{{"type", "Feature"}}), 400, "invalid_argument", "body");
  EXPECT_EQ(get("/api/units").body["total"], 0);
}

}  // namespace
}  // namespace pingan::testing
