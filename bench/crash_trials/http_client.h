#pragma once
// A minimal HTTP/1.1 client over plain sockets for the crash trials: one
// connection per request (Connection: close), so that every request is
// either answered whole, never sent, or in flight when the server died.
// It depends on no HTTP library, so the trials treat the server as a black
// box whatever library it is built on (cpp-httplib or Boost.Beast). Every
// request carries the trials' API token (issue 17: the API asks for one).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pingan::crash {

// What became of one request. The difference between the last two is the
// whole point of the trials: kNotSent cannot have changed anything (the
// connection was refused), kNoAnswer may have (the server read the request
// but died, or stalled, before a complete reply came back).
enum class Delivery { kAnswered, kNotSent, kNoAnswer };

struct HttpReply {
  Delivery delivery = Delivery::kNotSent;
  int status = 0;  // only when answered
  std::string body;
  bool answered() const { return delivery == Delivery::kAnswered; }
  bool ok() const { return answered() && status >= 200 && status < 300; }
};

// Percent-encodes one path segment (patrol call signs are Chinese).
inline std::string encode_path_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace detail {

inline bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
      return false;
  return true;
}

// Decodes a chunked body; nullopt until the terminating zero-size chunk is in.
inline std::optional<std::string> dechunk(std::string_view raw) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t eol = raw.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    const std::size_t size = std::strtoul(std::string(raw.substr(pos, eol - pos)).c_str(), nullptr, 16);
    pos = eol + 2;
    if (size == 0) return out;
    if (raw.size() < pos + size + 2) return std::nullopt;
    out.append(raw.substr(pos, size));
    pos += size + 2;
  }
}

// Parses a reply read until the peer closed. Complete only when the body is
// as long as Content-Length says (or the chunked body ended): a server
// killed mid-reply leaves a truncated one, which is no acknowledgement.
inline HttpReply parse_reply(const std::string& raw, bool closed_cleanly) {
  HttpReply reply;
  reply.delivery = Delivery::kNoAnswer;
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) return reply;
  const std::size_t space = raw.find(' ');
  if (space == std::string::npos || space > head_end) return reply;
  const int status = std::atoi(raw.c_str() + space + 1);
  std::optional<std::size_t> length;
  bool chunked = false;
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    const std::size_t eol = raw.find("\r\n", pos);
    std::string_view line(raw.data() + pos, eol - pos);
    if (iequals_prefix(line, "content-length:")) length = std::strtoul(line.data() + 15, nullptr, 10);
    if (iequals_prefix(line, "transfer-encoding:") && line.find("chunked") != std::string_view::npos) chunked = true;
    pos = eol + 2;
  }
  std::string_view rest(raw.data() + head_end + 4, raw.size() - head_end - 4);
  if (chunked) {
    auto body = dechunk(rest);
    if (!body) return reply;
    reply.body = std::move(*body);
  } else if (length) {
    if (rest.size() < *length) return reply;
    reply.body = std::string(rest.substr(0, *length));
  } else {
    if (!closed_cleanly) return reply;  // closed-delimited: only the close ends it
    reply.body = std::string(rest);
  }
  reply.delivery = Delivery::kAnswered;
  reply.status = status;
  return reply;
}

}  // namespace detail

class HttpClient {
 public:
  HttpClient(int port, std::string token, std::chrono::milliseconds timeout)
      : port_(port), token_(std::move(token)), timeout_(timeout) {}

  HttpReply get(const std::string& path) const { return send("GET", path, ""); }
  // Every POST carries a body, if only an empty one (the API asks for a length).
  HttpReply post(const std::string& path, const std::string& body) const { return send("POST", path, body); }

 private:
  HttpReply send(const char* method, const std::string& path, const std::string& body) const {
    HttpReply reply;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return reply;
    timeval tv{static_cast<time_t>(timeout_.count() / 1000), static_cast<suseconds_t>(timeout_.count() % 1000 * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return reply;  // refused: the server cannot have seen it
    }
    reply.delivery = Delivery::kNoAnswer;
    std::string request = std::string(method) + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                          std::to_string(port_) + "\r\nConnection: close\r\nAuthorization: Bearer " + token_ + "\r\n";
    if (std::string_view(method) == "POST")
      request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n";
    request += body;
    for (std::size_t sent = 0; sent < request.size();) {
      const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        ::close(fd);
        return reply;
      }
      sent += static_cast<std::size_t>(n);
    }
    // Read until the reply is whole by its length (a server need not close
    // at once) or the peer closes; a reset or a timeout ends the reading
    // too, and parse_reply decides whether what came was a whole reply.
    std::string raw;
    char buffer[16384];
    ssize_t n = 0;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
      raw.append(buffer, static_cast<std::size_t>(n));
      if (HttpReply whole = detail::parse_reply(raw, false); whole.answered()) {
        ::close(fd);
        return whole;
      }
    }
    ::close(fd);
    return detail::parse_reply(raw, n == 0);
  }

  int port_;
  std::string token_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pingan::crash
