// HTTPS (issue 17): `serve --tls-cert --tls-key` serves every connection over
// TLS 1.2+, with Secure session cookies and Strict-Transport-Security; a
// plain-HTTP client gets no answer, a client that never finishes its
// handshake is dropped at the head's time limit, the live stream works over
// TLS, and a bad certificate or key stops start() naming the file.
//
// The certificate is made here with OpenSSL (self-signed, P-256, for
// localhost and 127.0.0.1) and the client is Beast's over OpenSSL, verifying
// the server against that certificate: nothing is mocked.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// Writes a self-signed certificate for `common_name` (also localhost and
// 127.0.0.1 as alternative names) and its key as PEM files.
void write_self_signed(const std::string& cert_path, const std::string& key_path,
                       const std::string& common_name = "localhost") {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  ASSERT_NE(san, nullptr);
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* out = std::fopen(cert_path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  PEM_write_X509(out, cert);
  std::fclose(out);
  out = std::fopen(key_path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
  std::filesystem::permissions(key_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  X509_free(cert);
  EVP_PKEY_free(key);
}

struct Answer {
  int status = 0;
  std::string body;
  std::string set_cookie;
  std::string hsts;
};

class HttpTlsTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& config) override {
    cert_ = dir_.file("server.crt");
    key_ = dir_.file("server.key");
    write_self_signed(cert_, key_);
    config.tls_cert_file = cert_;
    config.tls_key_file = key_;
    config.header_timeout_ms = 500;
    config.stream_heartbeat_s = 1;
  }

  // A TLS client that trusts only the test's certificate and checks that
  // it names localhost.
  ssl::context client_context() const {
    ssl::context ctx(ssl::context::tls_client);
    ctx.load_verify_file(cert_);
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
  }

  // A TLS connection to the server, handshake done, the name checked.
  using TlsClient = beast::ssl_stream<beast::tcp_stream>;
  std::unique_ptr<TlsClient> connect(net::io_context& io, ssl::context& ctx) const {
    auto stream = std::make_unique<TlsClient>(io, ctx);
    stream->set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(*stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
    stream->handshake(ssl::stream_base::client);
    return stream;
  }

  Answer request(bhttp::verb method, const std::string& target, const std::string& body = "",
                 const std::string& bearer_token = "") const {
    net::io_context io;
    ssl::context ctx = client_context();
    auto client = connect(io, ctx);
    TlsClient& stream = *client;
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!bearer_token.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer_token);
    if (method != bhttp::verb::get) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    Answer out;
    out.status = res.result_int();
    out.body = res.body();
    out.set_cookie = std::string(res[bhttp::field::set_cookie]);
    out.hsts = std::string(res[bhttp::field::strict_transport_security]);
    beast::error_code ignored;
    stream.shutdown(ignored);
    return out;
  }

  std::string cert_;
  std::string key_;
};

TEST_F(HttpTlsTest, AnswersOverTlsVerifiedAgainstItsCertificateWithStrictTransportSecurity) {
  Answer a = request(bhttp::verb::get, "/api/health");
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.hsts, "max-age=31536000");
  // The same request with the test's bearer token reaches a guarded route.
  Answer units = request(bhttp::verb::get, "/api/units", "", token_);
  EXPECT_EQ(units.status, 200) << units.body;
}

TEST_F(HttpTlsTest, SignInOverTlsSetsASecureCookie) {
  Answer unit = request(bhttp::verb::post, "/api/units", R"([{"code":"JN","name":"济南市公安局","kind":"bureau"}])",
                        token_);
  ASSERT_EQ(unit.status, 200) << unit.body;
  auto created = authority_->add_user({"zhang", "用户zhang", "JN", "command"}, "test");
  ASSERT_TRUE(created.ok()) << created.error().describe();
  ASSERT_TRUE(authority_->set_password("zhang", "correct horse battery", false, "test").ok());
  Answer a = request(bhttp::verb::post, "/api/auth/login",
                     R"({"username":"zhang","password":"correct horse battery"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.set_cookie.find("pingan_session="), std::string::npos) << a.set_cookie;
  EXPECT_NE(a.set_cookie.find("; Secure"), std::string::npos) << a.set_cookie;
  EXPECT_NE(a.set_cookie.find("HttpOnly"), std::string::npos) << a.set_cookie;
  EXPECT_NE(a.set_cookie.find("SameSite=Strict"), std::string::npos) << a.set_cookie;
}

// Reads what the server sends on a raw TCP connection until it closes or
// `for_how_long` passes.
std::string read_raw(tcp::socket& socket, std::chrono::milliseconds for_how_long) {
  std::string got;
  socket.non_blocking(true);
  const auto until = std::chrono::steady_clock::now() + for_how_long;
  char buf[4096];
  while (std::chrono::steady_clock::now() < until) {
    beast::error_code ec;
    std::size_t n = socket.read_some(net::buffer(buf), ec);
    if (ec == net::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (ec) break;
    got.append(buf, n);
  }
  return got;
}

TEST_F(HttpTlsTest, PlainHttpGetsNoHttpAnswerAndTheServerKeepsServing) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  const std::string plain = "GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
  net::write(socket, net::buffer(plain));
  const std::string got = read_raw(socket, std::chrono::milliseconds(2000));
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos) << "a plain-HTTP answer leaked: " << got;
  EXPECT_EQ(request(bhttp::verb::get, "/api/health").status, 200);
}

TEST_F(HttpTlsTest, AClientThatNeverFinishesItsHandshakeIsDroppedAtTheHeadTimeLimit) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  const auto start = std::chrono::steady_clock::now();
  // Nothing sent: the server closes within its 500 ms head limit (read ends).
  read_raw(socket, std::chrono::milliseconds(5000));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, std::chrono::milliseconds(3000)) << "the silent connection was held past the limit";
  EXPECT_GE(waited, std::chrono::milliseconds(400));
}

TEST_F(HttpTlsTest, TheLiveStreamRunsOverTls) {
  net::io_context io;
  ssl::context ctx = client_context();
  auto client = connect(io, ctx);
  TlsClient& stream = *client;
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/api/stream", 11};
  req.set(bhttp::field::host, "localhost");
  req.set(bhttp::field::authorization, "Bearer " + token_);
  bhttp::write(stream, req);
  // The head, the "connected" chunk and, with a 1-second heartbeat, a heartbeat.
  std::string got;
  char buf[1024];
  while (got.find(": heartbeat") == std::string::npos) {
    beast::error_code ec;
    std::size_t n = stream.read_some(net::buffer(buf), ec);
    ASSERT_FALSE(ec) << ec.message() << " after: " << got;
    got.append(buf, n);
  }
  EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  EXPECT_NE(got.find("text/event-stream"), std::string::npos) << got;
  EXPECT_NE(got.find("Strict-Transport-Security"), std::string::npos) << got;
  EXPECT_NE(got.find(": connected"), std::string::npos) << got;
}

TEST(HttpTlsConfigTest, AMissingOrMismatchedCertificateStopsStartNamingTheFile) {
  TempDir dir;
  auto engine = Engine::open(EngineConfig{dir.file("tls.db"), "", "Asia/Shanghai"});
  ASSERT_TRUE(engine.ok()) << engine.error().describe();
  const std::string cert = dir.file("a.crt"), key = dir.file("a.key");
  const std::string other_cert = dir.file("b.crt"), other_key = dir.file("b.key");
  write_self_signed(cert, key);
  write_self_signed(other_cert, other_key);
  auto start_with = [&](const std::string& c, const std::string& k) {
    HttpConfig config;
    config.port = 0;
    config.tls_cert_file = c;
    config.tls_key_file = k;
    HttpServer server(**engine, config);
    Status st = server.start();
    server.stop();
    return st;
  };
  Status missing = start_with(dir.file("nowhere.crt"), key);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "tls_cert");
  EXPECT_NE(missing.error().message.find("nowhere.crt"), std::string::npos) << missing.error().message;

  Status mismatched = start_with(cert, other_key);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().field, "tls_key");
  EXPECT_NE(mismatched.error().message.find("does not belong"), std::string::npos) << mismatched.error().message;

  Status not_pem = start_with(key, key);  // a key where the certificate should be
  ASSERT_FALSE(not_pem.ok());
  EXPECT_EQ(not_pem.error().field, "tls_cert");

  Status half = start_with(cert, "");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().field, "tls_key");

  EXPECT_TRUE(start_with(cert, key).ok());
}

}  // namespace
}  // namespace pingan::testing
