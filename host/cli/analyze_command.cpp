// `glassland analyze` (issue 7, item 7): the analysis library (analysis/) over tables. Each
// sub-command lives in host/cli/analyze/ (analyze_commands.hpp says how to add one); this file
// only creates the command and registers them.
#include "host/cli/analyze_command.hpp"

#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"

namespace glassland {

void register_analyze_command(CLI::App& app) {
  CLI::App* analyze = app.add_subcommand(
      "analyze",
      "Barrier statistics, activation thermodynamics, TST kinetics, and trajectory and structure "
      "analysis");
  analyze->require_subcommand(1);
  analyze_cli::register_analyze_barriers(*analyze);
  analyze_cli::register_analyze_activation(*analyze);
  analyze_cli::register_analyze_tst(*analyze);
  analyze_cli::register_analyze_fit(*analyze);
  analyze_cli::register_analyze_entropy(*analyze);
  analyze_cli::register_analyze_glass_transition(*analyze);
  analyze_cli::register_analyze_entropy_temperature(*analyze);
  analyze_cli::register_analyze_disconnectivity(*analyze);
  register_analyze_dynamics(*analyze);
  register_analyze_structure(*analyze);
  register_analyze_cage_jumps(*analyze);
  analyze_cli::register_analyze_ageing(*analyze);
}

}  // namespace glassland
