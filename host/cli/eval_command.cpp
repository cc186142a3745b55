#include "host/cli/eval_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "host/io/potential_files.hpp"
#include "host/io/structure_checks.hpp"
#include "host/tasks/structure_evaluation.hpp"

namespace glassland {

namespace {

struct EvalOptions {
  std::vector<std::string> structures;
  std::string potential = default_potential_path();
  std::string format;  // "fs", "alloy" or empty (from the file name)
  std::vector<std::string> elements;
  double skin = 1.0;
  double min_atom_distance = kDefaultMinAtomDistance;
  bool json = false;
};

void run_eval(const EvalOptions& options) {
  const SetflFormat format = options.format == "fs" ? SetflFormat::FinnisSinclair
                             : options.format == "alloy"
                                 ? SetflFormat::Alloy
                                 : setfl_format_from_filename(options.potential);
  const SetflPotential potential = read_setfl(options.potential, format);
  EvaluationTiming timing;
  const auto results = evaluate_structures(options.structures, potential, options.elements,
                                           options.skin, options.min_atom_distance, &timing);
  if (options.json) {
    nlohmann::json document;
    document["potential"] = options.potential;
    document["units"] = {
        {"energy", "eV"}, {"pressure", "bar"}, {"virial", "eV"}, {"forces", "eV/Angstrom"}};
    for (const auto& r : results) {
      nlohmann::json forces = nlohmann::json::array();
      for (const auto& f : r.forces)
        forces.push_back({f[0], f[1], f[2]});
      document["structures"].push_back({{"file", r.file},
                                        {"atoms", r.n_atoms},
                                        {"energy", r.energy},
                                        {"pressure", r.pressure},
                                        {"volume", r.volume},
                                        {"virial", r.virial},
                                        {"forces", forces}});
    }
    // Full precision: JSON numbers are read back as the same doubles.
    std::cout << document.dump(1) << "\n";
    return;
  }
  for (const auto& r : results) {
    std::printf("%s: %d atoms\n", r.file.c_str(), r.n_atoms);
    std::printf("  energy   %.12f eV  (%.9f eV/atom)\n", r.energy, r.energy / r.n_atoms);
    std::printf("  pressure %.6f bar\n", r.pressure);
    std::printf("  virial   xx %.9g yy %.9g zz %.9g xy %.9g xz %.9g yz %.9g eV\n", r.virial[0],
                r.virial[1], r.virial[2], r.virial[3], r.virial[4], r.virial[5]);
  }
  std::printf(
      "timing: reading %.3f s; %d batch(es) evaluated in %.3f s (neighbour lists included)\n",
      timing.seconds_reading, timing.n_batches, timing.seconds_first_evaluation);
}

}  // namespace

void register_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* eval = app.add_subcommand(
      "eval",
      "Energy, pressure, virial and forces of LAMMPS data files (one batch per atom count)");
  eval->add_option("--structure,-s", options->structures, "LAMMPS data files (atom_style atomic)")
      ->required()
      ->check(CLI::ExistingFile);
  eval->add_option("--potential,-p", options->potential, "setfl EAM potential file")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  eval->add_option("--format", options->format,
                   "potential flavour: fs or alloy (default: from the file name)")
      ->check(CLI::IsMember({"fs", "alloy"}));
  eval->add_option(
          "--elements,-e", options->elements,
          "element of each atom type, in type order (as LAMMPS pair_coeff * * FILE El1 El2 ...)")
      ->required();
  eval->add_option("--skin", options->skin, "neighbour-list skin, Å")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  eval->add_option(
          "--min-atom-distance", options->min_atom_distance,
          "a file with two atoms closer than this (Å) is an error naming them; 0: no check")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  eval->add_flag("--json", options->json, "print one JSON document with forces in atom-ID order");
  eval->callback([options]() { run_eval(*options); });
}

}  // namespace glassland
