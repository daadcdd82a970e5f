// pingan analyze: the parent of the statistics subcommands. Each analysis
// lives in its own file and hangs itself under this command.

#include "cli/commands.h"

namespace pingan::cli {

CLI::App* analyze_command(CLI::App& app) {
  // The first caller creates it; later callers get the same command.
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "analyze"; }))
    return sub;
  CLI::App* cmd = app.add_subcommand("analyze", "statistics, hotspots and forecasts over the incidents");
  cmd->require_subcommand(1);
  return cmd;
}

}  // namespace pingan::cli
