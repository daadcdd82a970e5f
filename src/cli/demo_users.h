#pragma once
// The demo district's users (issue 17): one of every role of roles.json in
// the demo's unit tree, each with a password set for it and printed once,
// and an API token for the machine client, so that a demo can be signed in
// to at once. Never for a database in service: the passwords are printed.

#include <string>
#include <vector>

#include "core/unit.h"

namespace pingan {
class Engine;
}

namespace pingan::cli {

// Adds the users "demo-<role>" that do not exist yet and prints a table of
// them; a user that exists is kept as it is (its password was printed when
// it was made) and said so. Reports errors (exit code 1).
void write_demo_users(Engine& engine, const std::string& data_dir, const std::vector<Unit>& units);

}  // namespace pingan::cli
