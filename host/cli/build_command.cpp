#include "host/cli/build_command.hpp"

#include <cstdio>
#include <memory>
#include <sstream>

#include "host/io/input_error.hpp"
#include "host/io/potential_files.hpp"
#include "host/io/setfl_potential.hpp"
#include "host/tasks/structure_builder.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

namespace {

struct BuildOptions {
  StructureSpec spec;
  std::string composition = "Cu:0.5,Zr:0.5";
  std::string potential = default_potential_path();
  std::string output;
  bool slab = false;
  double vacuum = 10.0;  // Å each side, with --slab
};

// "Cu:0.64,Zr:0.36" → {{"Cu", 0.64}, {"Zr", 0.36}} (parse_composition checks each item and the
// sum).
std::vector<std::pair<std::string, double>> composition_option(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    items.push_back(item);
  return parse_composition(items, "--composition \"" + text + "\"");
}

void run_build(BuildOptions& options) {
  options.spec.composition = composition_option(options.composition);
  // Types follow the potential's element order, masses from the potential (as LAMMPS's eam/fs).
  const SetflPotential potential =
      read_setfl(options.potential, setfl_format_from_filename(options.potential));
  LammpsData data = build_structure(options.spec, potential.elements, potential.masses);
  if (options.slab)
    add_vacuum_along_z(data, options.vacuum);
  write_lammps_data(options.output, data);
  std::printf("wrote %s: %d atoms, box %.4f x %.4f x %.4f Å, types:", options.output.c_str(),
              data.n_atoms(), data.hi[0] - data.lo[0], data.hi[1] - data.lo[1],
              data.hi[2] - data.lo[2]);
  for (size_t t = 0; t < potential.elements.size(); ++t)
    std::printf(" %zu=%s", t + 1, potential.elements[t].c_str());
  std::printf("\n");
}

}  // namespace

void register_build_command(CLI::App& app) {
  auto options = std::make_shared<BuildOptions>();
  CLI::App* build = app.add_subcommand(
      "build", "Write a lattice or random starting structure as a LAMMPS data file");
  build->add_option("--lattice", options->spec.lattice, "b2, bcc, fcc, sc or random")
      ->capture_default_str()
      ->check(CLI::IsMember({"b2", "bcc", "fcc", "sc", "random"}));
  build->add_option("--lattice-constant", options->spec.lattice_constant, "lattice constant, Å")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  build->add_option("--cells", options->spec.cells, "unit cells along x y z")
      ->capture_default_str();
  build->add_option("--atoms", options->spec.n_atoms, "random: number of atoms")
      ->check(CLI::PositiveNumber);
  build->add_option("--density", options->spec.number_density, "random: number density, atoms/Å³")
      ->check(CLI::PositiveNumber);
  build
      ->add_option("--min-separation", options->spec.min_separation, "random: smallest distance, Å")
      ->capture_default_str();
  build
      ->add_option("--composition", options->composition, "element fractions, e.g. Cu:0.64,Zr:0.36")
      ->capture_default_str();
  build
      ->add_option("--seed", options->spec.seed,
                   "seed of the species assignment and random packing")
      ->capture_default_str();
  build
      ->add_option("--potential,-p", options->potential,
                   "setfl potential whose elements and masses define the types")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  build->add_flag("--slab", options->slab,
                  "add vacuum along z: a slab with two free surfaces (paper 002)");
  build->add_option("--vacuum", options->vacuum, "with --slab: vacuum below and above along z, Å")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  build->add_option("--output,-o", options->output, "data file to write")->required();
  build->callback([options]() { run_build(*options); });
}

}  // namespace glassland
