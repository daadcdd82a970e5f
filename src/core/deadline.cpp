#include "core/deadline.h"

#include <fmt/format.h>

namespace pingan {

Status Deadline::check(const char* what) const {
  if (cancelled()) return Error::unavailable(fmt::format("{} was stopped: the client went away", what));
  if (bounded_ && Clock::now() >= at_)
    return Error::unavailable(fmt::format(
        "{} ran past the server's time limit for one request; narrow the query (a shorter period, "
        "fewer units, a larger cell) or ask an administrator to raise http.request_deadline_s",
        what));
  return {};
}

const Deadline& Deadline::none() {
  static const Deadline forever;
  return forever;
}

}  // namespace pingan
