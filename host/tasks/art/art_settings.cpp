#include "host/tasks/art/art_settings.hpp"

#include <cstdint>

namespace glassland {

namespace {

ArtSettings read_search_settings(InputObject& o) {
  ArtSettings s;  // defaults: paper 004 (saddle/art.hpp)
  s.cluster_radius = o.number("cluster_radius", s.cluster_radius, "Å",
                              "atoms within this distance of the centre are displaced initially",
                              NumberRange::non_negative());
  s.initial_displacement =
      o.number("initial_displacement", s.initial_displacement, "Å",
               "norm of the initial random cluster displacement", NumberRange::positive());
  s.push_step = o.number("push_step", s.push_step, "Å", "length of each activation push",
                         NumberRange::positive());
  s.max_pushes = static_cast<int>(o.integer("max_pushes", s.max_pushes, "",
                                            "pushes without crossing the threshold: failure",
                                            IntegerRange::closed(1, INT32_MAX)));
  s.lanczos_after_pushes = static_cast<int>(
      o.integer("lanczos_after_pushes", s.lanczos_after_pushes, "",
                "no Lanczos before this many pushes", IntegerRange::closed(0, INT32_MAX)));
  s.relax_steps_activation = static_cast<int>(o.integer(
      "relax_steps_activation", s.relax_steps_activation, "",
      "FIRE steps perpendicular to the push after each push", IntegerRange::closed(0, INT32_MAX)));
  s.eigenvalue_threshold =
      o.number("eigenvalue_threshold", s.eigenvalue_threshold, "eV/Å²",
               "activation ends once the lowest eigenvalue is below this (negative)",
               NumberRange{-1e308, 0.0, false, true, "a negative number"});
  s.saddle_force_tolerance = o.number(
      "saddle_force_tolerance", s.saddle_force_tolerance, "eV/Å",
      "saddle converged when the largest atomic force is below this", NumberRange::positive());
  s.relax_steps_convergence = static_cast<int>(
      o.integer("relax_steps_convergence", s.relax_steps_convergence, "",
                "FIRE steps perpendicular to the eigenvector after each step along it",
                IntegerRange::closed(0, INT32_MAX)));
  s.eigen_step_max = o.number("eigen_step_max", s.eigen_step_max, "Å",
                              "cap on the step along the eigenvector", NumberRange::positive());
  s.max_convergence_steps =
      static_cast<int>(o.integer("max_convergence_steps", s.max_convergence_steps, "",
                                 "steps along the eigenvector without convergence: failure",
                                 IntegerRange::closed(1, INT32_MAX)));
  s.max_returns_to_activation = static_cast<int>(
      o.integer("max_returns_to_activation", s.max_returns_to_activation, "",
                "returns to pushing when the eigenvalue turns positive, then \"lost\"",
                IntegerRange::closed(0, INT32_MAX)));
  s.lanczos_max_iterations =
      static_cast<int>(o.integer("lanczos_max_iterations", s.lanczos_max_iterations, "",
                                 "Lanczos iterations per eigenvalue", IntegerRange::closed(2, 32)));
  s.lanczos_tolerance = o.number("lanczos_tolerance", s.lanczos_tolerance, "",
                                 "Lanczos converged when λ changes by less than this (relative)",
                                 NumberRange::positive());
  s.lanczos_epsilon =
      o.number("lanczos_epsilon", s.lanczos_epsilon, "Å",
               "finite-difference step of the Hessian–vector products", NumberRange::positive());
  s.second_lanczos_max_iterations = static_cast<int>(o.integer(
      "second_lanczos_max_iterations", s.second_lanczos_max_iterations, "",
      "Lanczos iterations at the saddle (λ1 and deflated λ2)", IntegerRange::closed(2, 32)));
  s.second_lanczos_tolerance =
      o.number("second_lanczos_tolerance", s.second_lanczos_tolerance, "",
               "relative Lanczos tolerance at the saddle", NumberRange::positive());
  s.second_lanczos_restarts = static_cast<int>(o.integer(
      "second_lanczos_restarts", s.second_lanczos_restarts, "",
      "restarts of the deflated Lanczos pass for λ2", IntegerRange::closed(0, INT32_MAX)));
  s.second_eigenvalue_tolerance =
      o.number("second_eigenvalue_tolerance", s.second_eigenvalue_tolerance, "eV/Å²",
               "a saddle is first-order when λ2 ≥ −this", NumberRange::non_negative());
  s.remove_translations = o.boolean("remove_translations", s.remove_translations,
                                    "project the uniform translations out of the Lanczos vectors");
  s.push_over_distance = o.number("push_over_distance", s.push_over_distance, "Å",
                                  "push over the saddle along the eigenvector before minimising",
                                  NumberRange::positive());
  s.final_force_tolerance = o.number(
      "final_force_tolerance", s.final_force_tolerance, "eV/Å",
      "largest atomic force of the forward minimisation to the final minimum (its energy is "
      "e_final)",
      NumberRange::positive());
  s.minimize_force_tolerance =
      o.number("minimize_force_tolerance", s.minimize_force_tolerance, "eV/Å",
               "largest atomic force of the backward minimisation from the saddle (connectivity)",
               NumberRange::positive());
  s.minimize_max_steps = static_cast<int>(o.integer(
      "minimize_max_steps", s.minimize_max_steps, "",
      "FIRE step cap of each minimisation from the saddle", IntegerRange::closed(1, INT32_MAX)));
  s.connect_tolerance =
      o.number("connect_tolerance", s.connect_tolerance, "Å",
               "largest atomic displacement for \"the same minimum\"", NumberRange::positive());
  s.fire_dt_initial = o.number("fire_dt_initial", s.fire_dt_initial, "Å/√(eV/Å²)",
                               "FIRE initial time step (mass-free units)", NumberRange::positive());
  s.fire_dt_max = o.number("fire_dt_max", s.fire_dt_max, "Å/√(eV/Å²)",
                           "FIRE largest time step (mass-free units)", NumberRange::positive());
  if (s.fire_dt_max < s.fire_dt_initial)
    throw o.error("fire_dt_max", "must not be smaller than fire_dt_initial");
  s.fire_max_displacement =
      o.number("fire_max_displacement", s.fire_max_displacement, "Å",
               "FIRE cap per Cartesian component per step", NumberRange::positive());
  s.participation_threshold =
      o.number("participation_threshold", s.participation_threshold, "Å",
               "atoms displaced more than this at the saddle take part in the event",
               NumberRange::positive());
  return s;
}

}  // namespace

ArtTaskSettings read_art_settings(InputObject& section) {
  ArtTaskSettings s;
  for (const std::string& f : section.strings(
           "minima", {},
           "extra LAMMPS data files to search from, after the system section's replicas"))
    s.extra_minima.push_back(f.empty() || f[0] == '/' ? f : section.base_directory() + "/" + f);
  s.minimum_temperatures = section.numbers(
      "minimum_temperatures", {}, "K",
      "temperature of the structure each minimum was quenched from (system replicas, then "
      "art.minima), written with every event; default: from prepare's summary.json beside each "
      "data file (its stops), else unknown",
      LengthRange::any(), NumberRange::non_negative());
  s.minimize_first = section.boolean(
      "minimize_first", true, "minimise every minimum (art.minimize settings) before searching");
  s.concurrent_searches = static_cast<int>(
      section.integer("concurrent_searches", 8, "", "searches run at once (replicas of the batch)",
                      IntegerRange::closed(1, 1 << 20)));
  s.target_successes = static_cast<int>(section.integer(
      "target_successes", 20, "", "random centres: stop after this many successful searches",
      IntegerRange::closed(1, INT32_MAX)));
  s.max_attempts = static_cast<int>(section.integer(
      "max_attempts", 1000, "", "searches started, at most", IntegerRange::closed(1, INT32_MAX)));
  InputObject centers = section.object("centers", "which atoms the searches start from");
  s.selection = centers.choice("select", "random", {"random", "atoms", "every_atom"},
                               "random: a random atom of `species` per search; atoms: the listed "
                               "atom IDs; every_atom: every atom of every minimum");
  s.species = centers.string(
      "species", "any", "random: element of the centre atoms (\"Cu\", \"Zr\", ...) or \"any\"");
  s.center_ids = centers.integers("atoms", {}, "", "atoms: atom IDs of the centres (data-file IDs)",
                                  LengthRange::any(), IntegerRange::positive());
  s.successes_per_center = static_cast<int>(
      centers.integer("successes_per_center", 1, "",
                      "atoms / every_atom: successful searches wanted per (minimum, centre)",
                      IntegerRange::closed(1, INT32_MAX)));
  s.max_attempts_per_center = static_cast<int>(
      centers.integer("max_attempts_per_center", 5, "",
                      "atoms / every_atom: searches per (minimum, centre), at most",
                      IntegerRange::closed(1, INT32_MAX)));
  if (s.selection == "atoms" && s.center_ids.empty())
    throw centers.error("atoms", "select \"atoms\" needs a non-empty list of atom IDs");
  if (s.selection != "atoms" && !s.center_ids.empty())
    throw centers.error("atoms", "atom IDs are only used with \"select\": \"atoms\"");
  if (s.selection != "random" && s.species != "any")
    throw centers.error("species", "a species is only used with \"select\": \"random\"");
  s.walk = section.boolean(
      "walk", false,
      "accept each successful event's final minimum and search on from it (random centres)");
  if (s.walk && s.selection != "random")
    throw section.error("walk", "a walk picks random centres: use centers.select \"random\"");
  InputObject search = section.object("search", "ART nouveau thresholds (paper 004 defaults)");
  s.search = read_search_settings(search);
  s.search.seed = static_cast<uint64_t>(section.integer(
      "seed", 1, "", "random seed: search k's centre and direction depend on (seed, k) only",
      IntegerRange::non_negative()));
  s.duplicate_energy_tolerance = section.number(
      "duplicate_energy_tolerance", 1e-3, "eV",
      "successful events from one minimum are one saddle when their saddle energies differ by "
      "less than this ...",
      NumberRange::positive());
  s.duplicate_position_tolerance = section.number(
      "duplicate_position_tolerance", 0.05, "Å",
      "... and no atom's saddle position differs by more than this", NumberRange::positive());
  s.write_structures = section.boolean(
      "write_structures", false,
      "write structures/event_NNNNNN_{initial,saddle,final}.data for every successful event");
  s.write_displacements = section.boolean(
      "write_displacements", false,
      "write each successful event's saddle − initial and final − initial fields to results.h5");
  s.checkpoint_searches = section.integer(
      "checkpoint_searches", 0, "",
      "checkpoint after every chunk of this many search ids (random centres) or of "
      "max(1, this / (max_attempts_per_center × minima)) centres; 0: no checkpoints",
      IntegerRange::non_negative());
  return s;
}

}  // namespace glassland
