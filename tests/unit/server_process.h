#pragma once
// The real `pingan serve` binary as a child process of a test (the
// durability and SIGHUP tests): spawned on a free port with its output in a
// log file, polled until healthy, signalled, and killed with SIGKILL if
// still alive when the object dies, so a failing test leaves no server behind.
// Every API route but the health check asks for credentials (issue 17), so
// issue_tester_token() makes a user and an API token with the CLI first.

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace pingan::testing {

inline constexpr auto kServerStartTimeout = std::chrono::seconds(20);

// A port nobody listens on right now (the kernel's choice for port 0).
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline std::string read_log_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `pingan args...` to its end with stdout in `out` and stderr appended
// to `log`; returns the wait status (0: exited 0).
inline int run_pingan(std::vector<std::string> args, const std::string& out, const std::string& log) {
  args.insert(args.begin(), PINGAN_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, PINGAN_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// Adds the user "tester" over every unit ('*') to `db` and issues it an API
// token, through the CLI as an installer would; returns the token's secret
// (empty, with the reason in `log`, when either step fails). The role is the
// shipped "command" one: it holds every permission these tests use
// (incidents, patrol units, dispatch, statistics), and `pingan serve` knows it
// whatever --data-dir it is given. `extra` goes to both commands (--data-dir).
inline std::string issue_tester_token(const std::string& db, const std::string& log,
                                      const std::vector<std::string>& extra = {}) {
  const std::string out = log + ".cli-out";
  std::vector<std::string> add = {"user", "add", "tester", "--unit", "*", "--role", "command", "--db", db};
  add.insert(add.end(), extra.begin(), extra.end());
  if (run_pingan(add, out, log) != 0) return {};
  std::vector<std::string> token = {"user", "token", "tester", "--name", "tests", "--db", db};
  token.insert(token.end(), extra.begin(), extra.end());
  if (run_pingan(token, out, log) != 0) return {};
  std::string secret = read_log_file(out);
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

// GET `path` from the server on `port` with an API token; the answer's JSON,
// or null when there was no answer or it was not 200.
inline nlohmann::json get_json(int port, const std::string& token, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  c.set_read_timeout(30);
  auto r = c.Get(path.c_str());
  if (!r || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

class ServerProcess {
 public:
  ServerProcess(const std::string& db, int port, const std::string& log,
                const std::vector<std::string>& extra_args = {})
      : port_(port), log_(log) {
    std::vector<std::string> args = {PINGAN_BINARY,        "serve",     "--db", db, "--port",
                                     std::to_string(port), "--threads", "8"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    int rc = posix_spawn(&pid_, PINGAN_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
  }
  ~ServerProcess() {
    if (pid_ > 0) kill_now();
  }
  bool spawned() const { return pid_ > 0; }

  // Polls /api/health until it answers 200, the child exits or time runs out.
  bool wait_healthy() {
    const auto deadline = std::chrono::steady_clock::now() + kServerStartTimeout;
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(1);
    c.set_read_timeout(2);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto r = c.Get("/api/health"); r && r->status == 200) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Sends `sig` and waits up to `timeout` for the exit; returns the wait
  // status, or -1 (after a SIGKILL) when the process did not exit in time.
  int signal_and_wait(int sig, std::chrono::seconds timeout) {
    ::kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_now();
    return -1;
  }
  void send(int sig) { ::kill(pid_, sig); }
  void kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string log() const { return read_log_file(log_); }

 private:
  pid_t pid_ = -1;
  int port_;
  std::string log_;
};

}  // namespace pingan::testing
