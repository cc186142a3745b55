// `task: neb` — climbing-image nudged elastic bands between pairs of LAMMPS data files (issue 6
// items 2, 4, 5, 6; docs/neb.md "task: neb"). Endpoint pairs come from a list, a directory of
// NAME_initial.data / NAME_final.data, the events.json of `task: art`, or the jumps between two
// inherent structures (paper 002, saddle/jump_neb.hpp). Every pair becomes one band of M images;
// all bands run in one batch (saddle/neb_band.hpp), so a band's result does not depend on the
// others. Optionally every converged band is sheared (paper 003, saddle/neb_shear.hpp) and the
// barrier spectrum's shift with strain is reported. Writes neb.json (one record per band,
// fractal dimension over the converged bands, shear summary), results.h5 (the energy profile of
// every band with its cubic fit), saddle_NNNN.data on request, jump_NNNN_final.data for jump
// bands, and effective_input.json. Bands that stop without converging are reported in neb.json
// and on stderr, never silently; the exit code stays 0 (their records are still written).
//
// The stages (host/tasks/neb/neb_stages.hpp): minimise endpoints → interpolate → relax bands
// (checkpointed every output.checkpoint_stride iterations; `--restart` continues it bitwise, the
// force field being reset at every checkpoint in both runs, as in `task: md`) → shear response →
// outputs → report.
#include "host/tasks/neb/neb_settings.hpp"
#include "host/tasks/neb/neb_stages.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

void run_neb_task(InputObject& input, const RunOptions& options) {
  // The force-field keys of the system section: the replicas are the neb section's endpoints.
  InputObject system_section =
      input.object("system", "potential and element mapping of the endpoints");
  const SystemPotential system = read_system_potential(system_section);
  InputObject section = input.object("neb", required, "endpoint pairs and band settings");
  const NebTaskSettings settings = read_neb_settings(section);
  const OutputSettings out = read_neb_output(input);
  input.finish();
  NebBands bands(system, settings);

  TaskRun run("neb", out, options, input.effective_configuration());
  run.set_system_shape(bands.batch.n_replicas, bands.batch.n_atoms);
  run.say(std::to_string(bands.n_bands) + " band(s) of " + std::to_string(bands.n_images) +
          " images, " + std::to_string(bands.batch.n_atoms) + " atoms per image, " +
          settings.interpolation + " path");
  FunctionStage minimize("minimise endpoints", [&](TaskRun&) {
    if (settings.minimize_endpoints)
      minimize_endpoints(settings, bands);
  });
  FunctionStage interpolate("interpolate", [&](TaskRun&) { interpolate_bands(settings, bands); });
  NebRelaxStage relax(settings, bands);
  FunctionStage shear("shear response", [&](TaskRun& r) {
    if (settings.shear.enabled)
      shear_bands(r, settings, bands);
  });
  FunctionStage outputs("outputs", [&](TaskRun& r) {
    write_neb_outputs(r, system, settings, bands);
    r.remove_checkpoint(relax);  // the run is complete: a later --restart starts afresh
  });
  FunctionStage report("report", [&](TaskRun& r) { report_bands(r, settings, bands); });
  run.run({&minimize, &interpolate, &relax, &shear, &outputs, &report});
}

}  // namespace glassland
