#include "host/tasks/output_settings.hpp"

namespace glassland {

OutputSettings read_output_settings(InputObject& input, const std::string& default_directory) {
  InputObject o = input.object("output", "where and how often results are written");
  OutputSettings s;
  // Relative to the working directory, like LAMMPS's log and dump files (input paths, by
  // contrast, are relative to the input file).
  s.directory = o.string("directory", default_directory,
                         "directory for results, structures and checkpoints (relative to the "
                         "working directory)");
  s.thermo_stride = o.integer("thermo_stride", 100, "steps", "steps between thermodynamic records",
                              IntegerRange::positive());
  s.trajectory_stride = o.integer("trajectory_stride", 0, "steps",
                                  "steps between trajectory frames (H5MD); 0 writes none",
                                  IntegerRange::non_negative());
  s.checkpoint_stride = o.integer("checkpoint_stride", 0, "steps",
                                  "steps between checkpoints; 0: only at the end of each stage",
                                  IntegerRange::non_negative());
  s.velocities = o.boolean("velocities", false, "trajectory frames include velocities");
  s.forces = o.boolean("forces", false, "trajectory frames include forces");
  s.quiet = o.boolean("quiet", false, "no progress lines (batch jobs)");
  s.progress_interval = o.number("progress_interval", 5.0, "s", "seconds between progress lines",
                                 NumberRange::positive());
  return s;
}

}  // namespace glassland
