#include "host/tasks/output_settings.hpp"

namespace glassland {

OutputSettings read_output_settings(InputObject& input, const std::string& default_directory,
                                    bool thermo_lines) {
  InputObject o = input.object("output", "where and how often results are written");
  OutputSettings s;
  // Relative to the working directory, like LAMMPS's log and dump files (input paths, by
  // contrast, are relative to the input file).
  s.directory = o.string("directory", default_directory,
                         "directory for results, structures and checkpoints (relative to the "
                         "working directory)");
  s.author =
      o.string("author", "", "author recorded in the H5MD files (h5md/author/name); empty: $USER");
  s.thermo_stride = o.integer("thermo_stride", 100, "steps", "steps between thermodynamic records",
                              IntegerRange::positive());
  // Like LAMMPS's `thermo N`: by default every record is also printed. Only tasks that print
  // thermo lines (md) have the key; elsewhere it is an unknown key, not a silent no-op.
  if (thermo_lines) {
    s.thermo_print_stride =
        o.integer("thermo_print_stride", s.thermo_stride, "steps",
                  "steps between thermo lines on stdout (one line per replica); a multiple of "
                  "thermo_stride; 0 prints none",
                  IntegerRange::non_negative());
    if (s.thermo_print_stride % s.thermo_stride != 0)
      throw o.error("thermo_print_stride", "must be 0 or a multiple of thermo_stride (" +
                                               std::to_string(s.thermo_stride) +
                                               "): lines are printed at thermo records, got " +
                                               std::to_string(s.thermo_print_stride));
  } else {
    s.thermo_print_stride = 0;
  }
  s.trajectory_stride = o.integer("trajectory_stride", 0, "steps",
                                  "steps between H5MD trajectory frames (trajectory.h5md); 0 "
                                  "writes none",
                                  IntegerRange::non_negative());
  s.dump_stride = o.integer("dump_stride", 0, "steps",
                            "steps between LAMMPS dump frames (dump/replica_NNNN.lammpstrj, for "
                            "OVITO and LAMMPS read_dump); 0 writes none",
                            IntegerRange::non_negative());
  s.checkpoint_stride = o.integer("checkpoint_stride", 0, "steps",
                                  "steps between checkpoints; 0: only at the end of each stage",
                                  IntegerRange::non_negative());
  s.velocities = o.boolean("velocities", false, "trajectory and dump frames include velocities");
  s.forces = o.boolean("forces", false, "trajectory and dump frames include forces");
  s.quiet = o.boolean("quiet", false, "no progress lines (batch jobs); results and warnings stay");
  s.progress_interval = o.number("progress_interval", 5.0, "s", "seconds between progress lines",
                                 NumberRange::positive());
  return s;
}

}  // namespace glassland
