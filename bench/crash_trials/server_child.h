#pragma once
// The real `pingan` binary as a child process of the crash trials: `demo` run
// to completion to write the database, and `serve` started on port 0, its
// port read from the "serving http://HOST:PORT/" line it prints once it
// listens, and killed with SIGKILL. Output goes to a log file (appended to,
// one file for every start) so that a chatty server never blocks on a pipe.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace pingan::crash {

// Spawns `args` (args[0] is the binary) with stdout and stderr appended to
// `log` (stdout to `out` instead, when given); throws when the spawn itself fails.
inline pid_t spawn_logged(const std::vector<std::string>& args, const std::string& log, const std::string& out = "") {
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out.empty())
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

// Runs a command to its end; returns its exit code (or 128 + the signal).
inline int run_logged(const std::vector<std::string>& args, const std::string& log, const std::string& out = "") {
  const pid_t pid = spawn_logged(args, log, out);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// The text of `path` from byte `offset` on.
inline std::string read_from(const std::string& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ServerChild {
 public:
  // Starts `binary serve --db db --port 0` and waits for its "serving" line.
  // Throws, with the tail of the log, when the server exits or stays silent
  // past `timeout`.
  // `extra`: more `serve` options (bench/scale names each server's index snapshot).
  ServerChild(const std::string& binary, const std::string& db, const std::string& log,
              std::chrono::seconds timeout, const std::vector<std::string>& extra = {})
      : log_(log) {
    const auto offset = file_size_or_zero(log);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> args = {binary, "serve", "--db", db, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn_logged(args, log);
    const auto deadline = start + timeout;
    while (true) {
      const std::string text = read_from(log, offset);
      if (auto port = port_of_serving_line(text)) {
        port_ = *port;
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("pingan serve exited before serving; its log says:\n" + tail(text));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill_now();
        throw std::runtime_error("pingan serve printed no 'serving http://' line in time; its log says:\n" +
                                 tail(text));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    startup_ = std::chrono::steady_clock::now() - start;
  }
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;
  ~ServerChild() {
    if (pid_ > 0) kill_now();
  }

  int port() const { return port_; }
  // From the spawn to the "serving" line: opening the database, building the
  // analytics index, loading the dispatch desk, listening.
  std::chrono::duration<double> startup() const { return startup_; }

  // SIGKILL, as a crash: no handler runs, nothing is flushed or closed.
  void kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  // SIGTERM and wait: the orderly stop at the end of the run.
  void stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  static std::optional<int> port_of_serving_line(const std::string& text) {
    const std::size_t at = text.find("serving http://");
    if (at == std::string::npos) return std::nullopt;
    const std::size_t end = text.find_first_of("/\n", at + 15);
    if (end == std::string::npos) return std::nullopt;  // the line is not whole yet
    const std::size_t colon = text.rfind(':', end);
    if (colon == std::string::npos || colon < at + 15) return std::nullopt;
    return std::atoi(text.c_str() + colon + 1);
  }
  static std::string tail(const std::string& text) {
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  }

  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::chrono::duration<double> startup_{};
};

}  // namespace pingan::crash
