#pragma once
// Running an outside program (headless Chromium, LibreOffice) to its end,
// with a time limit, for the bulletin writers (bulletin_pdf.h,
// bulletin_docx.h).
//
// No shell: the arguments go to the program as they are, so paths with
// spaces or quotes need no quoting. The program is looked up in PATH when
// its name has no '/'. The child gets its own process group, stdin from
// /dev/null, stdout and stderr appended to `log_path`, and the default signal
// mask and dispositions; when it outlives the timeout the whole group is
// killed with SIGKILL (Chromium and LibreOffice start helper processes of
// their own), and so is whatever is left of the group after it exits.
//
// Thread safety: each call waits for its own child only (waitpid on its
// pid), so calls may run on several threads at once, as long as no one else
// in the process reaps children with waitpid(-1).

#include <chrono>
#include <string>
#include <vector>

#include "core/status.h"

namespace pingan {

struct ChildProcessOptions {
  std::chrono::milliseconds timeout{30'000};
  std::string log_path;  // stdout and stderr of the child, appended; empty: /dev/null
};

struct ChildExit {
  bool timed_out = false;  // killed by us after `timeout`
  int exit_code = -1;      // when it exited by itself; -1 otherwise
  int signal = 0;          // the signal that ended it, if one did
  std::chrono::milliseconds elapsed{0};

  bool succeeded() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit code 3", "killed by signal 9", "no answer within 30000 ms".
  std::string describe(std::chrono::milliseconds timeout) const;
};

// Starts argv[0] with argv and waits for it (or the timeout). An Error only
// when it could not be started at all (e.g. the program is not installed:
// the message names it); how it ended is in ChildExit.
Result<ChildExit> run_child_process(const std::vector<std::string>& argv,
                                    const ChildProcessOptions& options);

// The last `max_bytes` of a log file (whole lines where possible), for error
// messages; empty when the file cannot be read.
std::string log_tail(const std::string& path, std::size_t max_bytes = 2000);

}  // namespace pingan
