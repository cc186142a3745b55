// `task: art` — ART nouveau saddle searches from one or several minima (issue 5 items 3–5,
// docs/art.md "task: art", docs/tasks.md). The minima (the system section's replicas plus
// optional extra data files) are minimised first, then searched from in one ArtEngine batch of
// `concurrent_searches` replicas (saddle/art.hpp: the method, its references and paper 004's
// defaults). Writes events.json (one record per search that ended, failures with their reason),
// results.h5 (event table, unique saddles, walk connectivity), each event with the file and the
// temperature of the structure its minimum came from (art_source_temperatures.cpp), optionally
// the initial, saddle
// and final configuration of every successful event as LAMMPS data files (structures/, named as
// `task: neb` expects its endpoint pairs) and the per-event displacement fields, and
// effective_input.json.
//
// The stages (host/tasks/art/art_stages.hpp): minimise minima → searches (checkpointed after
// every chunk with art.checkpoint_searches; `--restart` continues them and ends with the events
// of the uninterrupted run) → events (duplicates merged, walk roots) → outputs → report.
#include "host/tasks/art/art_settings.hpp"
#include "host/tasks/art/art_stages.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

void run_art_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  InputObject section = input.object("art", required, "minima, centres and search settings");
  const ArtTaskSettings settings = read_art_settings(section);
  // Read whatever minimize_first says, so its keys are validated and documented either way.
  InputObject minimize_section =
      section.object("minimize", "minimisation of the minima before searching (minimize_first)");
  InputObject output = input.object("output", "where results are written");
  OutputSettings out;
  out.directory = output.string("directory", "art_output",
                                "directory for results (relative to the working directory)");
  out.quiet = output.boolean("quiet", false, "no progress lines");
  out.progress_interval =
      output.number("progress_interval", 5.0, "s", "seconds between progress lines of the searches",
                    NumberRange::positive());
  std::vector<std::string> sources;
  const std::vector<NamedStructure> structures =
      read_minimum_structures(*system, settings, sources);
  const MinimizeSettings minimize_settings =
      read_minimize_settings(minimize_section, static_cast<int>(structures.size()));
  std::vector<SourceTemperature> temperatures =
      source_temperatures(input.file_name(), settings, sources);
  input.finish();
  ArtMinima minima = make_art_minima(*system, structures, std::move(sources));
  minima.temperatures = std::move(temperatures);
  const ArtCenters centers = select_centers(input.file_name(), settings, *system, minima);

  TaskRun run("art", out, options, input.effective_configuration());
  run.set_system_shape(minima.count(), minima.n_atoms());
  FunctionStage minimize("minimise minima", [&](TaskRun&) {
    if (settings.minimize_first)
      minimize_minima(*system, minimize_settings, minima);
  });
  ArtSearchStage searches(*system, settings, minima, centers);
  ArtEventCatalogue catalogue;
  FunctionStage events("events", [&](TaskRun&) {
    catalogue = catalogue_events(settings, minima, searches.found());
  });
  FunctionStage outputs("outputs", [&](TaskRun& r) {
    write_art_outputs(r, *system, settings, minima, searches.found(), catalogue);
    r.remove_checkpoint(searches);  // complete: a later --restart starts afresh
  });
  FunctionStage report("report",
                       [&](TaskRun& r) { print_art_report(r, searches.found(), catalogue); });
  run.run({&minimize, &searches, &events, &outputs, &report});
}

}  // namespace glassland
