// `task: art` — ART nouveau saddle searches from one or several minima (issue 5 items 3–5,
// docs/art.md "task: art", docs/tasks.md). The minima (the system section's replicas plus
// optional extra data files) are minimised first, then searched from in one ArtEngine batch of
// `concurrent_searches` replicas (saddle/art.hpp: the method, its references and paper 004's
// defaults). Writes events.json (one record per search that ended, failures with their reason),
// results.h5 (event table, unique saddles, walk connectivity), optionally the initial, saddle
// and final configuration of every successful event as LAMMPS data files (structures/, named as
// `task: neb` expects its endpoint pairs) and the per-event displacement fields, and
// effective_input.json.
//
// Checkpoints (art.checkpoint_searches > 0): the searches run in chunks of a fixed range of
// search ids (random centres) or of centres (per-centre selection); each chunk is one
// ArtEngine::run with a fresh engine and force field, and after it every event found so far is
// saved atomically. Because a search depends only on (seed, search id) and the chunk boundaries
// do not depend on timing, a run killed and restarted with --restart ends with the same events
// as the uninterrupted run.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "analysis/sample_statistics.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/art/art_minimum.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_system.hpp"
#include "saddle/art.hpp"
#include "saddle/saddle_events.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

struct ArtTaskSettings {
  std::vector<std::string> extra_minima;  // resolved paths
  bool minimize_first = true;
  int concurrent_searches = 8;
  int target_successes = 20;
  int max_attempts = 1000;
  std::string selection = "random";  // random, atoms, every_atom
  std::string species = "any";
  std::vector<int64_t> center_ids;  // atom IDs (selection "atoms")
  int successes_per_center = 1;
  int max_attempts_per_center = 5;
  bool walk = false;
  ArtSettings search;
  double duplicate_energy_tolerance = 1e-3;
  double duplicate_position_tolerance = 0.05;
  bool write_structures = false;
  bool write_displacements = false;
  int64_t checkpoint_searches = 0;
};

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
  s.minimize_force_tolerance = o.number(
      "minimize_force_tolerance", s.minimize_force_tolerance, "eV/Å",
      "largest atomic force of the minimisations from the saddle", NumberRange::positive());
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

ArtTaskSettings read_art_settings(InputObject& section) {
  ArtTaskSettings s;
  for (const std::string& f : section.strings(
           "minima", {},
           "extra LAMMPS data files to search from, after the system section's replicas"))
    s.extra_minima.push_back(f.empty() || f[0] == '/' ? f : section.base_directory() + "/" + f);
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

// The input minimum every minimum of a walk descends from (its atom IDs, species and box are
// that minimum's): minima [0, n_input) are their own roots; a walk's minimum b first reached
// from a takes a's root. Connections are in the order the walk made them.
std::vector<int> walk_roots(int n_input, size_t n_minima, const std::vector<ArtConnection>& links) {
  std::vector<int> root(n_minima, -1);
  for (int m = 0; m < n_input && m < static_cast<int>(n_minima); ++m)
    root[m] = m;
  for (const ArtConnection& c : links)
    if (c.minimum_b >= n_input && root.at(c.minimum_b) < 0)
      root[c.minimum_b] = root.at(c.minimum_a);
  return root;
}

// `positions` (unwrapped, [i*3+k]) written into a copy of `data`: every atom wrapped into the
// box by whole lattice vectors, the image flags counting them, so that x + image·(box vectors)
// is the unwrapped position and LAMMPS and glassland read the same configuration.
LammpsData with_positions(const LammpsData& data, const Box& box,
                          const std::vector<double>& positions) {
  LammpsData out = data;
  out.velocities.clear();
  out.images.assign(data.n_atoms(), {0, 0, 0});
  for (int i = 0; i < data.n_atoms(); ++i) {
    double d[3], s[3];
    for (int k = 0; k < 3; ++k)
      d[k] = positions[3 * i + k] - box.lo[k];
    box.to_fractional(d, s);
    const int n[3] = {static_cast<int>(std::floor(s[0])), static_cast<int>(std::floor(s[1])),
                      static_cast<int>(std::floor(s[2]))};
    double x[3] = {positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]};
    box.add_lattice_vector(-n[0], -n[1], -n[2], x);
    for (int k = 0; k < 3; ++k) {
      out.positions[i][k] = x[k];
      out.images[i][k] = n[k];
    }
  }
  return out;
}

// ---- checkpoint of the events ----

void save_events(Checkpoint& c, const std::vector<ArtEvent>& events) {
  std::vector<int64_t> ints;  // 10 per event
  std::vector<double> reals;  // 13 per event
  std::vector<int64_t> participating_count, participating, has_positions;
  std::vector<double> saddle, final_state;
  for (const ArtEvent& e : events) {
    for (int64_t v : {e.search_id, int64_t(e.minimum_id), int64_t(e.center_atom),
                      int64_t(static_cast<int>(e.outcome)), int64_t(e.success), int64_t(e.pushes),
                      int64_t(e.convergence_steps), int64_t(e.force_evaluations),
                      int64_t(e.lanczos_evaluations), int64_t(e.final_minimum_id)})
      ints.push_back(v);
    for (double v :
         {e.e_initial, e.e_saddle, e.e_final, e.barrier, e.asymmetry, e.lambda1, e.lambda2,
          e.saddle_max_force, e.backward_max_displacement, e.saddle_displacement_norm,
          e.saddle_max_displacement, e.final_displacement_norm, e.final_max_displacement})
      reals.push_back(v);
    participating_count.push_back(static_cast<int64_t>(e.participating_atoms.size()));
    for (int a : e.participating_atoms)
      participating.push_back(a);
    has_positions.push_back(e.saddle_positions.empty() ? 0 : 1);
    saddle.insert(saddle.end(), e.saddle_positions.begin(), e.saddle_positions.end());
    final_state.insert(final_state.end(), e.final_positions.begin(), e.final_positions.end());
  }
  c.set("events/ints", ints);
  c.set("events/reals", reals);
  c.set("events/participating_count", participating_count);
  c.set("events/participating", participating);
  c.set("events/has_positions", has_positions);
  c.set("events/saddle_positions", saddle);
  c.set("events/final_positions", final_state);
}

std::vector<ArtEvent> load_events(const Checkpoint& c, int n_atoms) {
  const auto& ints = c.int64s("events/ints");
  const auto& reals = c.doubles("events/reals");
  const auto& participating_count = c.int64s("events/participating_count");
  const auto& participating = c.int64s("events/participating");
  const auto& has_positions = c.int64s("events/has_positions");
  const auto& saddle = c.doubles("events/saddle_positions");
  const auto& final_state = c.doubles("events/final_positions");
  std::vector<ArtEvent> events(participating_count.size());
  size_t p = 0, x = 0;
  const size_t n3 = static_cast<size_t>(3) * n_atoms;
  for (size_t k = 0; k < events.size(); ++k) {
    ArtEvent& e = events[k];
    const int64_t* i = &ints.at(10 * k);
    e.search_id = i[0];
    e.minimum_id = static_cast<int>(i[1]);
    e.center_atom = static_cast<int>(i[2]);
    e.outcome = static_cast<ArtOutcome>(i[3]);
    e.success = i[4] != 0;
    e.pushes = static_cast<int>(i[5]);
    e.convergence_steps = static_cast<int>(i[6]);
    e.force_evaluations = static_cast<int>(i[7]);
    e.lanczos_evaluations = static_cast<int>(i[8]);
    e.final_minimum_id = static_cast<int>(i[9]);
    const double* r = &reals.at(13 * k);
    e.e_initial = r[0];
    e.e_saddle = r[1];
    e.e_final = r[2];
    e.barrier = r[3];
    e.asymmetry = r[4];
    e.lambda1 = r[5];
    e.lambda2 = r[6];
    e.saddle_max_force = r[7];
    e.backward_max_displacement = r[8];
    e.saddle_displacement_norm = r[9];
    e.saddle_max_displacement = r[10];
    e.final_displacement_norm = r[11];
    e.final_max_displacement = r[12];
    for (int64_t a = 0; a < participating_count[k]; ++a)
      e.participating_atoms.push_back(static_cast<int>(participating.at(p++)));
    if (has_positions[k]) {
      e.saddle_positions.assign(saddle.begin() + x, saddle.begin() + x + n3);
      e.final_positions.assign(final_state.begin() + x, final_state.begin() + x + n3);
      x += n3;
    }
  }
  return events;
}

}  // namespace

void run_art_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  InputObject section = input.object("art", required, "minima, centres and search settings");
  const ArtTaskSettings settings = read_art_settings(section);
  // Read whatever minimize_first says, so its keys are validated and documented either way.
  InputObject minimize_section =
      section.object("minimize", "minimisation of the minima before searching (minimize_first)");
  InputObject output = input.object("output", "where results are written");
  const std::string directory = output.string(
      "directory", "art_output", "directory for results (relative to the working directory)");
  const bool quiet = output.boolean("quiet", false, "no progress lines") || options.quiet;

  // The minima: the system's replicas, then the extra files.
  std::vector<NamedStructure> structures;
  std::vector<std::string> sources = system->replica_sources;
  {
    const BatchSnapshot replicas = snapshot(system->batch);
    for (int r = 0; r < replicas.n_replicas; ++r)
      structures.push_back({sources[r], replica_to_data(replicas, r, system->type_elements,
                                                        system->potential.elements,
                                                        system->potential.masses, false)});
    for (const std::string& file : settings.extra_minima) {
      structures.push_back({file, read_lammps_data(file)});
      sources.push_back(file);
    }
  }
  const int n_minima = static_cast<int>(structures.size());
  const MinimizeSettings minimize_settings = read_minimize_settings(minimize_section, n_minima);
  input.finish();

  BatchSnapshot minima = snapshot(make_batch(structures, system->type_elements,
                                             system->potential.elements, system->potential.masses));
  const int n_atoms = minima.n_atoms;
  // Atom IDs of every input minimum, by atom index (the batch keeps a data file's ID order).
  std::vector<std::vector<int>> atom_ids(n_minima);
  for (int m = 0; m < n_minima; ++m)
    atom_ids[m].assign(minima.ids.begin() + static_cast<int64_t>(m) * n_atoms,
                       minima.ids.begin() + static_cast<int64_t>(m + 1) * n_atoms);

  // Centres as atom indices.
  std::vector<int> center_indices;
  int species = -1;
  if (settings.selection == "atoms") {
    for (int m = 1; m < n_minima; ++m)
      if (atom_ids[m] != atom_ids[0])
        throw InputError(input.file_name() +
                         ": art.centers.atoms: the minima do not hold the same atom IDs (\"" +
                         sources[0] + "\" and \"" + sources[m] +
                         "\"), so an atom ID does not name one atom in all of them");
    for (int64_t id : settings.center_ids) {
      const auto it = std::find(atom_ids[0].begin(), atom_ids[0].end(), static_cast<int>(id));
      if (it == atom_ids[0].end())
        throw InputError(input.file_name() + ": art.centers.atoms: no atom with ID " +
                         std::to_string(id) + " in \"" + sources[0] + "\"");
      center_indices.push_back(static_cast<int>(it - atom_ids[0].begin()));
    }
  } else if (settings.selection == "every_atom") {
    for (int i = 0; i < n_atoms; ++i)
      center_indices.push_back(i);
  } else if (settings.species != "any") {
    const auto& elements = system->potential.elements;
    const auto it = std::find(elements.begin(), elements.end(), settings.species);
    if (it == elements.end())
      throw InputError(input.file_name() + ": art.centers.species: \"" + settings.species +
                       "\" is not an element of the potential (or \"any\")");
    species = static_cast<int>(it - elements.begin());
    bool present = false;
    for (int m = 0; m < n_minima; ++m)
      for (int i = 0; i < n_atoms && !present; ++i)
        present = minima.elements[static_cast<int64_t>(m) * n_atoms + i] == species;
    if (!present)
      throw InputError(input.file_name() + ": art.centers.species: no " + settings.species +
                       " atom in the minima");
  }

  fs::create_directories(directory);
  write_file_atomically((fs::path(directory) / "effective_input.json").string(),
                        input.effective_configuration().dump(2) + "\n");
  const std::string checkpoint_path = (fs::path(directory) / "checkpoint.h5").string();
  const bool resume =
      options.restart && settings.checkpoint_searches > 0 && fs::exists(checkpoint_path);
  if (options.restart && !resume && !quiet)
    std::fprintf(stderr, "art: no checkpoint in %s yet; starting from the beginning\n",
                 directory.c_str());

  // Progress of the chunked run, restored on --restart.
  std::vector<ArtEvent> events;
  int64_t next_search_id = 0, started = 0, batch_evaluations = 0;
  size_t center_cursor = 0;
  double elapsed_before = 0.0;
  // Walks: the minima found so far (after the input ones), their connections and where each
  // search slot stands.
  std::vector<ArtMinimum> walk_minima;
  std::vector<ArtConnection> connections;
  std::vector<int> walkers;
  nlohmann::json minimization_records = nlohmann::json::array();
  if (resume) {
    const Checkpoint checkpoint = Checkpoint::read(checkpoint_path);
    if (checkpoint.metadata().value("task", "") != "art")
      throw InputError(checkpoint_path + ": not a checkpoint of an art task");
    const std::vector<double>& positions = checkpoint.doubles("minima/positions");
    if (positions.size() != minima.positions.size())
      throw InputError(checkpoint_path + ": its minima do not match the input's (" +
                       std::to_string(positions.size() / 3) + " atom positions, input has " +
                       std::to_string(minima.positions.size() / 3) + ")");
    minima.positions = positions;
    minimization_records = checkpoint.metadata().value("minimization", nlohmann::json::array());
    events = load_events(checkpoint, n_atoms);
    next_search_id = checkpoint.get_int64("run/next_search_id");
    started = checkpoint.get_int64("run/started");
    center_cursor = static_cast<size_t>(checkpoint.get_int64("run/center_cursor"));
    elapsed_before = checkpoint.get_double("run/elapsed_s");
    if (checkpoint.has("run/batch_evaluations"))  // written since walks are checkpointed
      batch_evaluations = checkpoint.get_int64("run/batch_evaluations");
    if (checkpoint.metadata().value("walk", false) != settings.walk)
      throw InputError(checkpoint_path + ": written by a run with art.walk " +
                       (settings.walk ? "false" : "true") + ", and the input says " +
                       (settings.walk ? "true" : "false") +
                       ": restore the input's art.walk or remove the checkpoint");
    if (settings.walk) {
      const auto& links = checkpoint.int64s("walk/connections");  // (a, b, event row) triples
      for (size_t k = 0; k + 2 < links.size(); k += 3)
        connections.push_back({static_cast<int>(links[k]), static_cast<int>(links[k + 1]),
                               static_cast<size_t>(links[k + 2])});
      for (int64_t w : checkpoint.int64s("walk/walkers"))
        walkers.push_back(static_cast<int>(w));
      const auto& found = checkpoint.doubles("walk/minima_positions");
      const auto& found_energy = checkpoint.doubles("walk/minima_energy");
      const std::vector<int> root =
          walk_roots(n_minima, n_minima + found_energy.size(), connections);
      const size_t n3 = static_cast<size_t>(3) * n_atoms;
      for (size_t f = 0; f < found_energy.size(); ++f) {
        ArtMinimum m = art_minimum_from_snapshot(minima, root.at(n_minima + f));
        m.positions.assign(found.begin() + f * n3, found.begin() + (f + 1) * n3);
        m.energy = found_energy[f];
        m.energy_known = true;
        walk_minima.push_back(std::move(m));
      }
    }
    if (!quiet)
      std::fprintf(stderr, "art: restarting from %s: %zu searches recorded, next search id %lld\n",
                   checkpoint_path.c_str(), events.size(), static_cast<long long>(next_search_id));
  } else if (settings.minimize_first) {
    std::vector<int> all(n_minima);
    std::iota(all.begin(), all.end(), 0);
    MinimizedCopies minimized = minimize_copies(*system, minima, all, minimize_settings);
    minima.positions = minimized.minimized.positions;
    for (int m = 0; m < n_minima; ++m) {
      nlohmann::json record = minimized.records[m];
      record["minimum"] = m;
      record["source"] = sources[m];
      minimization_records.push_back(record);
      // Searching from a point that is not a minimum gives meaningless barriers: say so loudly.
      if (!is_converged(minimized.results[m].status))
        std::fprintf(stderr, "art: WARNING minimum %d (%s): minimisation %s after %d iterations\n",
                     m, sources[m].c_str(), to_string(minimized.results[m].status).c_str(),
                     minimized.results[m].iterations);
    }
  }
  std::vector<ArtMinimum> input_minima;
  for (int m = 0; m < n_minima; ++m)
    input_minima.push_back(art_minimum_from_snapshot(minima, m));

  if (!quiet)
    std::fprintf(stderr, "art: %d minim%s of %d atoms, %d concurrent searches, centres: %s%s%s\n",
                 n_minima, n_minima == 1 ? "um" : "a", n_atoms, settings.concurrent_searches,
                 settings.selection.c_str(),
                 settings.selection == "random" ? (" of " + settings.species).c_str() : "",
                 settings.walk ? ", walk" : "");

  // The search batch: concurrent_searches copies of minimum 0 (every search sets its own
  // minimum's positions, box and species when it starts).
  const LammpsData template_data =
      replica_to_data(minima, 0, system->type_elements, system->potential.elements,
                      system->potential.masses, false);
  ArtRunRequest base;
  base.selection =
      settings.selection == "random" ? CenterSelection::random_of_species : CenterSelection::listed;
  base.species = species;
  base.successes_per_center = settings.successes_per_center;
  base.max_attempts_per_center = settings.max_attempts_per_center;
  base.walk = settings.walk;
  base.keep_configurations = true;

  const bool random_centers = settings.selection == "random";
  int successes = 0;
  for (const ArtEvent& e : events)
    successes += e.success ? 1 : 0;
  std::vector<ArtMinimum> engine_minima = input_minima;  // walks add theirs
  engine_minima.insert(engine_minima.end(), walk_minima.begin(), walk_minima.end());
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return elapsed_before +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  // One ArtEngine::run with a fresh batch, force field and engine (so a chunk after a restart
  // starts from exactly the state a chunk of the uninterrupted run starts from).
  auto run_chunk = [&](const ArtRunRequest& request) {
    Batch batch =
        make_batch(std::vector<NamedStructure>(settings.concurrent_searches,
                                               NamedStructure{"minimum 0", template_data}),
                   system->type_elements, system->potential.elements, system->potential.masses);
    ForceField field;
    field.add_term(make_eam_term(system->potential, system->neighbor_skin));
    ArtEngine engine(batch, field, settings.search);
    for (const ArtMinimum& m : engine_minima)
      engine.add_minimum(m);
    ArtRunResult result = engine.run(request);
    engine_minima = engine.minima();
    batch_evaluations += result.batch_evaluations;
    return result;
  };

  if (settings.checkpoint_searches == 0) {
    ArtRunRequest request = base;
    request.target_successes = settings.target_successes;
    request.max_attempts = settings.max_attempts;
    request.centers = center_indices;
    ArtRunResult result = run_chunk(request);
    started = result.attempts;
    next_search_id = result.next_search_id;
    connections = result.connections;
    events = std::move(result.events);
    successes = 0;
    for (const ArtEvent& e : events)
      successes += e.success ? 1 : 0;
  } else {
    const int64_t per_center = static_cast<int64_t>(settings.max_attempts_per_center) * n_minima;
    const size_t centers_per_chunk =
        static_cast<size_t>(std::max<int64_t>(1, settings.checkpoint_searches / per_center));
    while (started < settings.max_attempts &&
           (random_centers ? successes < settings.target_successes
                           : center_cursor < center_indices.size())) {
      ArtRunRequest request = base;
      request.first_search_id = next_search_id;
      request.walkers = walkers;
      request.max_attempts =
          static_cast<int>(random_centers ? std::min<int64_t>(settings.checkpoint_searches,
                                                              settings.max_attempts - started)
                                          : settings.max_attempts - started);
      request.target_successes = settings.target_successes - successes;
      if (!random_centers) {
        const size_t end = std::min(center_indices.size(), center_cursor + centers_per_chunk);
        request.centers.assign(center_indices.begin() + center_cursor,
                               center_indices.begin() + end);
        center_cursor = end;
      }
      ArtRunResult result = run_chunk(request);
      started += result.attempts;
      // Random centres: a chunk owns a fixed range of search ids, whether or not all of them
      // ran (searches abandoned at the success target are not resumed).
      next_search_id =
          random_centers ? request.first_search_id + request.max_attempts : result.next_search_id;
      walkers = result.walkers;
      for (ArtConnection c : result.connections) {  // rows of this chunk's events
        c.event_index += events.size();
        connections.push_back(c);
      }
      for (ArtEvent& e : result.events) {
        successes += e.success ? 1 : 0;
        events.push_back(std::move(e));
      }
      Checkpoint checkpoint;
      checkpoint.set_metadata({{"task", "art"},
                               {"input", options.input_path},
                               {"walk", settings.walk},
                               {"minimization", minimization_records}});
      checkpoint.set("minima/positions", minima.positions);
      save_events(checkpoint, events);
      checkpoint.set_int64("run/next_search_id", next_search_id);
      checkpoint.set_int64("run/started", started);
      checkpoint.set_int64("run/center_cursor", static_cast<int64_t>(center_cursor));
      checkpoint.set_double("run/elapsed_s", elapsed());
      checkpoint.set_int64("run/batch_evaluations", batch_evaluations);
      if (settings.walk) {
        std::vector<int64_t> links, slots(walkers.begin(), walkers.end());
        for (const ArtConnection& c : connections)
          for (int64_t v : {int64_t(c.minimum_a), int64_t(c.minimum_b), int64_t(c.event_index)})
            links.push_back(v);
        std::vector<double> found, found_energy;
        for (size_t m = n_minima; m < engine_minima.size(); ++m) {
          found.insert(found.end(), engine_minima[m].positions.begin(),
                       engine_minima[m].positions.end());
          found_energy.push_back(engine_minima[m].energy);
        }
        checkpoint.set("walk/connections", links);
        checkpoint.set("walk/walkers", slots);
        checkpoint.set("walk/minima_positions", found);
        checkpoint.set("walk/minima_energy", found_energy);
      }
      checkpoint.write(checkpoint_path);
      if (!quiet)
        std::fprintf(stderr,
                     "art: %zu searches ended, %d successful (%.1f s); checkpoint written\n",
                     events.size(), successes, elapsed());
    }
  }
  const double seconds = elapsed();

  // Walk minima found by the engine descend from an input minimum: their atom IDs and data-file
  // template are that minimum's.
  const std::vector<int> root = walk_roots(n_minima, engine_minima.size(), connections);
  for (const ArtEvent& e : events) {  // chunks run on fresh engines: energies from the events
    ArtMinimum& m = engine_minima.at(e.minimum_id);
    if (!m.energy_known) {
      m.energy = e.e_initial;
      m.energy_known = true;
    }
  }
  auto id_of = [&](const ArtEvent& e, int index) { return atom_ids[root.at(e.minimum_id)][index]; };

  const std::vector<UniqueSaddle> unique =
      merge_duplicate_saddles(events, settings.duplicate_energy_tolerance,
                              settings.duplicate_position_tolerance, &engine_minima);
  EventsJsonOptions json_options;
  json_options.atom_label = id_of;
  json_options.duplicate_count.assign(events.size(), 0);
  json_options.duplicate_of.assign(events.size(), -1);
  std::vector<int> unique_of_event(events.size(), -1);
  for (size_t u = 0; u < unique.size(); ++u)
    for (size_t e : unique[u].event_indices) {
      json_options.duplicate_count[e] = unique[u].count;
      json_options.duplicate_of[e] = events[unique[u].event_index].search_id;
      unique_of_event[e] = static_cast<int>(u);
    }

  // Structures of the successful events.
  if (settings.write_structures) {
    fs::create_directories(fs::path(directory) / "structures");
    json_options.files.resize(events.size());
    std::map<int, LammpsData> templates;
    for (size_t k = 0; k < events.size(); ++k) {
      const ArtEvent& e = events[k];
      if (!e.success || e.saddle_positions.empty())
        continue;
      const int r = root.at(e.minimum_id);
      if (!templates.count(r))
        templates[r] = replica_to_data(minima, r, system->type_elements, system->potential.elements,
                                       system->potential.masses, false);
      const ArtMinimum& initial = engine_minima.at(e.minimum_id);
      char stem[64];
      std::snprintf(stem, sizeof stem, "structures/event_%06lld",
                    static_cast<long long>(e.search_id));
      const std::array<std::string, 3> files = {std::string(stem) + "_initial.data",
                                                std::string(stem) + "_saddle.data",
                                                std::string(stem) + "_final.data"};
      const std::vector<double>* positions[3] = {&initial.positions, &e.saddle_positions,
                                                 &e.final_positions};
      for (int f = 0; f < 3; ++f) {
        LammpsData data = with_positions(templates[r], initial.box, *positions[f]);
        data.title = "glassland art: search " + std::to_string(e.search_id) + " " +
                     (f == 0   ? "initial minimum"
                      : f == 1 ? "saddle"
                               : "final minimum");
        write_lammps_data((fs::path(directory) / files[f]).string(), data);
      }
      json_options.files[k] = files;
    }
  }

  // Barrier statistics over the successful events (duplicates counted as found).
  std::vector<double> barriers, evaluations_per_success;
  int64_t all_evaluations = 0;
  for (const ArtEvent& e : events) {
    all_evaluations += e.force_evaluations;
    if (e.success) {
      barriers.push_back(e.barrier);
      evaluations_per_success.push_back(e.force_evaluations);
    }
  }
  const int64_t abandoned = started - static_cast<int64_t>(events.size());
  json_options.extra_members = "\"abandoned\":" + std::to_string(abandoned) +
                               ",\"unique_saddles\":" + std::to_string(unique.size()) +
                               ",\"atom_labels\":\"atom IDs of the data files\"";
  ArtRunResult all;
  all.events = events;
  write_file_atomically((fs::path(directory) / "events.json").string(),
                        events_json(all, json_options));

  // results.h5: one dataset per column of the event table, one row per search that ended.
  write_file_atomically((fs::path(directory) / "results.h5").string(), [&](const std::string& tmp) {
    hdf5::File file = hdf5::File::create(tmp);
    file.set_attribute("task", "art");
    file.set_attribute("effective_input", input.effective_configuration().dump());
    file.set_attribute("concurrent_searches", settings.concurrent_searches);
    file.set_attribute("seed", static_cast<int64_t>(settings.search.seed));
    file.set_attribute("center_selection", settings.selection);
    file.set_attribute("species", settings.species);
    file.set_attribute("walk", settings.walk ? 1 : 0);
    const ArtSettings& a = settings.search;
    const std::vector<std::pair<const char*, double>> parameters = {
        {"cluster_radius_A", a.cluster_radius},
        {"initial_displacement_A", a.initial_displacement},
        {"push_step_A", a.push_step},
        {"eigenvalue_threshold_eV_per_A2", a.eigenvalue_threshold},
        {"saddle_force_tolerance_eV_per_A", a.saddle_force_tolerance},
        {"push_over_distance_A", a.push_over_distance},
        {"minimize_force_tolerance_eV_per_A", a.minimize_force_tolerance},
        {"connect_tolerance_A", a.connect_tolerance},
        {"second_eigenvalue_tolerance_eV_per_A2", a.second_eigenvalue_tolerance},
        {"participation_threshold_A", a.participation_threshold},
        {"duplicate_energy_tolerance_eV", settings.duplicate_energy_tolerance},
        {"duplicate_position_tolerance_A", settings.duplicate_position_tolerance}};
    for (const auto& [name, value] : parameters)
      file.set_attribute(name, value);
    file.set_attribute("attempts", static_cast<int64_t>(events.size()));
    file.set_attribute("successes", static_cast<int64_t>(successes));
    file.set_attribute("abandoned", abandoned);
    file.set_attribute("wall_time_s", seconds);
    file.set_attribute("batch_evaluations", batch_evaluations);

    const double nan = std::nan("");
    auto column = [&](const char* name, auto get, const char* unit) {
      std::vector<double> values;
      for (const ArtEvent& e : events)
        values.push_back(get(e));
      hdf5::Dataset d = file.write(std::string("events/") + name, values);
      if (unit[0])
        d.set_attribute("unit", unit);
    };
    auto int_column = [&](const char* name, auto get) {
      std::vector<int64_t> values;
      for (const ArtEvent& e : events)
        values.push_back(get(e));
      file.write(std::string("events/") + name, values);
    };
    int_column("search_id", [](const ArtEvent& e) { return e.search_id; });
    int_column("minimum", [](const ArtEvent& e) { return int64_t(e.minimum_id); });
    int_column("center_atom_id",
               [&](const ArtEvent& e) { return int64_t(id_of(e, e.center_atom)); });
    int_column("outcome", [](const ArtEvent& e) { return int64_t(static_cast<int>(e.outcome)); });
    int_column("success", [](const ArtEvent& e) { return int64_t(e.success); });
    int_column("pushes", [](const ArtEvent& e) { return int64_t(e.pushes); });
    int_column("convergence_steps", [](const ArtEvent& e) { return int64_t(e.convergence_steps); });
    int_column("force_evaluations", [](const ArtEvent& e) { return int64_t(e.force_evaluations); });
    int_column("lanczos_evaluations",
               [](const ArtEvent& e) { return int64_t(e.lanczos_evaluations); });
    int_column("final_minimum", [](const ArtEvent& e) { return int64_t(e.final_minimum_id); });
    std::vector<int64_t> unique_index(unique_of_event.begin(), unique_of_event.end());
    file.write("events/unique_saddle", unique_index)
        .set_attribute("meaning", "row of unique_saddles/, -1 for failed searches");
    column(
        "e_initial_eV", [](const ArtEvent& e) { return e.e_initial; }, "eV");
    auto if_success = [nan](auto get) {
      return [get, nan](const ArtEvent& e) { return e.success ? get(e) : nan; };
    };
    column("e_saddle_eV", if_success([](const ArtEvent& e) { return e.e_saddle; }), "eV");
    column("e_final_eV", if_success([](const ArtEvent& e) { return e.e_final; }), "eV");
    column("barrier_eV", if_success([](const ArtEvent& e) { return e.barrier; }), "eV");
    column("asymmetry_eV", if_success([](const ArtEvent& e) { return e.asymmetry; }), "eV");
    column("eigenvalue", if_success([](const ArtEvent& e) { return e.lambda1; }), "eV/Å²");
    column("second_eigenvalue", if_success([](const ArtEvent& e) { return e.lambda2; }), "eV/Å²");
    column("saddle_max_force_eV_per_A",
           if_success([](const ArtEvent& e) { return e.saddle_max_force; }), "eV/Å");
    column("saddle_displacement_norm_A",
           if_success([](const ArtEvent& e) { return e.saddle_displacement_norm; }), "Å");
    column("saddle_max_displacement_A",
           if_success([](const ArtEvent& e) { return e.saddle_max_displacement; }), "Å");
    column("final_displacement_norm_A",
           if_success([](const ArtEvent& e) { return e.final_displacement_norm; }), "Å");
    column("final_max_displacement_A",
           if_success([](const ArtEvent& e) { return e.final_max_displacement; }), "Å");
    column("backward_max_displacement_A",
           if_success([](const ArtEvent& e) { return e.backward_max_displacement; }), "Å");
    // The string table of outcomes: events/outcome indexes it.
    std::vector<int64_t> codes;
    std::vector<std::string> reasons;
    for (int code = 0; code <= static_cast<int>(ArtOutcome::lanczos_only); ++code) {
      codes.push_back(code);
      reasons.push_back(to_string(static_cast<ArtOutcome>(code)));
    }
    file.write("outcomes/code", codes);
    file.write("outcomes/reason", reasons);

    std::vector<int64_t> u_event, u_search, u_minimum, u_count;
    std::vector<double> u_saddle, u_barrier;
    for (const UniqueSaddle& u : unique) {
      u_event.push_back(static_cast<int64_t>(u.event_index));
      u_search.push_back(events[u.event_index].search_id);
      u_minimum.push_back(u.minimum_id);
      u_count.push_back(u.count);
      u_saddle.push_back(u.e_saddle);
      u_barrier.push_back(u.barrier);
    }
    file.write("unique_saddles/event_row", u_event);
    file.write("unique_saddles/search_id", u_search);
    file.write("unique_saddles/minimum", u_minimum);
    file.write("unique_saddles/count", u_count);
    file.write("unique_saddles/e_saddle_eV", u_saddle).set_attribute("unit", "eV");
    file.write("unique_saddles/barrier_eV", u_barrier).set_attribute("unit", "eV");

    std::vector<double> minimum_energies;
    for (const ArtMinimum& m : engine_minima)
      minimum_energies.push_back(m.energy_known ? m.energy : nan);
    file.write("minima/energy_eV", minimum_energies)
        .set_attribute("meaning", "NaN: no search started from it");
    file.write("minima/source", std::vector<std::string>(sources.begin(), sources.end()));
    if (settings.walk) {
      const ConnectivityGraph graph = connectivity_graph(events, connections, engine_minima);
      std::vector<int64_t> a, b, count, event_row;
      std::vector<double> e_saddle;
      for (const ConnectivityEdge& edge : graph.edges) {
        a.push_back(edge.minimum_a);
        b.push_back(edge.minimum_b);
        e_saddle.push_back(edge.e_saddle);
        count.push_back(edge.count);
      }
      for (const ArtConnection& c : connections)
        event_row.push_back(static_cast<int64_t>(c.event_index));
      file.write("connectivity/minima_energy_eV", graph.minima_energies);
      file.write("connectivity/edge_minimum_a", a);
      file.write("connectivity/edge_minimum_b", b);
      file.write("connectivity/edge_e_saddle_eV", e_saddle);
      file.write("connectivity/edge_count", count);
      file.write("connectivity/event_row", event_row);
    }
    if (settings.write_displacements) {
      std::vector<int64_t> search;
      std::vector<double> saddle, final_state;
      for (const ArtEvent& e : events) {
        if (!e.success || e.saddle_positions.empty())
          continue;
        search.push_back(e.search_id);
        const ArtMinimum& initial = engine_minima.at(e.minimum_id);
        for (size_t j = 0; j < initial.positions.size(); ++j) {
          saddle.push_back(e.saddle_positions[j] - initial.positions[j]);
          final_state.push_back(e.final_positions[j] - initial.positions[j]);
        }
      }
      const std::vector<hsize_t> shape = {search.size(), static_cast<hsize_t>(n_atoms), 3};
      file.write("displacements/search_id", search);
      file.write("displacements/saddle_A", saddle, shape).set_attribute("unit", "Å");
      file.write("displacements/final_A", final_state, shape).set_attribute("unit", "Å");
    }
    file.close();
  });
  if (settings.checkpoint_searches > 0)
    fs::remove(checkpoint_path);  // complete: a later --restart starts afresh

  // Summary on stdout.
  const int n_success = static_cast<int>(barriers.size());
  std::printf(
      "art: %zu searches ended (%lld abandoned at the target), %d successful, %zu unique "
      "saddles\n",
      events.size(), static_cast<long long>(abandoned), n_success, unique.size());
  std::printf("art: barrier mean %.6f eV, median %.6f eV, std %.6f eV\n",
              analysis::sample_mean(barriers), analysis::sample_median(barriers),
              analysis::sample_standard_deviation(barriers));
  std::printf(
      "art: force evaluations per successful search: mean %.1f, median %.1f; all "
      "searches' evaluations per success %.1f\n",
      analysis::sample_mean(evaluations_per_success),
      analysis::sample_median(evaluations_per_success),
      n_success ? static_cast<double>(all_evaluations) / n_success : std::nan(""));
  std::printf(
      "art: wall time %.2f s, %.1f saddles per hour; wrote events.json and results.h5 in "
      "%s\n",
      seconds, seconds > 0 ? 3600.0 * n_success / seconds : 0.0, directory.c_str());
}

}  // namespace glassland
