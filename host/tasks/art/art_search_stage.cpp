// Stage "searches" of `task: art` (host/tasks/art/art_stages.hpp): the ART nouveau searches in
// one ArtEngine batch, in checkpointed chunks when art.checkpoint_searches asks for them.
#include <algorithm>
#include <cstdio>
#include <limits>

#include "host/io/checkpoint.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/art/art_minimum.hpp"
#include "host/tasks/art/art_stages.hpp"
#include "host/tasks/task_run.hpp"

namespace glassland {

std::vector<int> walk_roots(int n_input, size_t n_minima, const std::vector<ArtConnection>& links) {
  std::vector<int> root(n_minima, -1);
  for (int m = 0; m < n_input && m < static_cast<int>(n_minima); ++m)
    root[m] = m;
  for (const ArtConnection& c : links)
    if (c.minimum_b >= n_input && root.at(c.minimum_b) < 0)
      root[c.minimum_b] = root.at(c.minimum_a);
  return root;
}

namespace {

constexpr size_t kEventReals = 14;

// The events as checkpoint arrays: 10 integers and kEventReals reals per event, the participating
// atoms, and the saddle and final positions of the events that kept them.
void save_events(Checkpoint& c, const std::vector<ArtEvent>& events) {
  std::vector<int64_t> ints;  // 10 per event
  std::vector<double> reals;  // kEventReals per event
  std::vector<int64_t> participating_count, participating, has_positions, fault_atoms;
  std::vector<double> saddle, final_state, fault_values;
  for (const ArtEvent& e : events) {
    fault_atoms.push_back(e.fault_atom);
    fault_values.push_back(e.fault_value);
    for (int64_t v : {e.search_id, int64_t(e.minimum_id), int64_t(e.center_atom),
                      int64_t(static_cast<int>(e.outcome)), int64_t(e.success), int64_t(e.pushes),
                      int64_t(e.convergence_steps), int64_t(e.force_evaluations),
                      int64_t(e.lanczos_evaluations), int64_t(e.final_minimum_id)})
      ints.push_back(v);
    for (double v : {e.e_initial, e.e_saddle, e.e_final, e.barrier, e.asymmetry, e.lambda1,
                     e.lambda2, e.saddle_max_force, e.backward_max_displacement,
                     e.saddle_displacement_norm, e.saddle_max_displacement,
                     e.final_displacement_norm, e.final_max_displacement, e.final_max_force})
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
  c.set("events/fault_atoms", fault_atoms);
  c.set("events/fault_values", fault_values);
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
  // The fault check's atom and move (checkpoints written before it have none).
  if (c.has("events/fault_atoms")) {
    const auto& fault_atoms = c.int64s("events/fault_atoms");
    const auto& fault_values = c.doubles("events/fault_values");
    for (size_t k = 0; k < events.size(); ++k) {
      events[k].fault_atom = static_cast<int>(fault_atoms.at(k));
      events[k].fault_value = fault_values.at(k);
    }
  }
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
    const double* r = &reals.at(kEventReals * k);
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
    e.final_max_force = r[13];
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

int count_successes(const std::vector<ArtEvent>& events) {
  int successes = 0;
  for (const ArtEvent& e : events)
    successes += e.success ? 1 : 0;
  return successes;
}

std::vector<ArtMinimum> input_minima(const ArtMinima& minima) {
  std::vector<ArtMinimum> input;
  for (int m = 0; m < minima.count(); ++m)
    input.push_back(art_minimum_from_snapshot(minima.snapshot, m));
  return input;
}

}  // namespace

void ArtSearchStage::save(Checkpoint& c) const {
  c.set_metadata({{"walk", settings_.walk}, {"minimization", minima_.minimization_records}});
  c.set("minima/positions", minima_.snapshot.positions);
  save_events(c, found_.events);
  c.set_int64("run/next_search_id", next_search_id_);
  c.set_int64("run/started", found_.started);
  c.set_int64("run/center_cursor", static_cast<int64_t>(center_cursor_));
  c.set_double("run/elapsed_s", elapsed());
  c.set_int64("run/batch_evaluations", found_.batch_evaluations);
  if (settings_.walk)
    save_walk(c);
}

// A walk's connections, where each slot stands and the minima it found (after the input ones).
void ArtSearchStage::save_walk(Checkpoint& c) const {
  std::vector<int64_t> links, slots(walkers_.begin(), walkers_.end());
  for (const ArtConnection& link : found_.connections)
    for (int64_t v : {int64_t(link.minimum_a), int64_t(link.minimum_b), int64_t(link.event_index)})
      links.push_back(v);
  std::vector<double> positions, energies;
  for (size_t m = minima_.count(); m < found_.minima.size(); ++m) {
    positions.insert(positions.end(), found_.minima[m].positions.begin(),
                     found_.minima[m].positions.end());
    energies.push_back(found_.minima[m].energy);
  }
  c.set("walk/connections", links);
  c.set("walk/walkers", slots);
  c.set("walk/minima_positions", positions);
  c.set("walk/minima_energy", energies);
}

void ArtSearchStage::resume(const Checkpoint& c) {
  if (c.metadata().value("walk", false) != settings_.walk)
    throw InputError(c.source() + ": written by a run with art.walk " +
                     (settings_.walk ? "false" : "true") + ", and the input says " +
                     (settings_.walk ? "true" : "false") +
                     ": restore the input's art.walk or remove the checkpoint");
  minima_.snapshot.positions = c.doubles("minima/positions");
  minima_.minimization_records = c.metadata().value("minimization", nlohmann::json::array());
  found_.minima = input_minima(minima_);
  found_.events = load_events(c, minima_.n_atoms());
  found_.successes = count_successes(found_.events);
  found_.started = c.get_int64("run/started");
  found_.batch_evaluations = c.get_int64("run/batch_evaluations");
  next_search_id_ = c.get_int64("run/next_search_id");
  center_cursor_ = static_cast<size_t>(c.get_int64("run/center_cursor"));
  elapsed_before_ = c.get_double("run/elapsed_s");
  if (settings_.walk)
    resume_walk(c);
  resumed_ = true;
}

void ArtSearchStage::resume_walk(const Checkpoint& c) {
  const auto& links = c.int64s("walk/connections");  // (a, b, event row) triples
  for (size_t k = 0; k + 2 < links.size(); k += 3)
    found_.connections.push_back({static_cast<int>(links[k]), static_cast<int>(links[k + 1]),
                                  static_cast<size_t>(links[k + 2])});
  for (int64_t w : c.int64s("walk/walkers"))
    walkers_.push_back(static_cast<int>(w));
  const auto& positions = c.doubles("walk/minima_positions");
  const auto& energies = c.doubles("walk/minima_energy");
  const int n_input = minima_.count();
  const std::vector<int> root = walk_roots(n_input, n_input + energies.size(), found_.connections);
  const size_t n3 = static_cast<size_t>(3) * minima_.n_atoms();
  for (size_t f = 0; f < energies.size(); ++f) {
    ArtMinimum m = art_minimum_from_snapshot(minima_.snapshot, root.at(n_input + f));
    m.positions.assign(positions.begin() + f * n3, positions.begin() + (f + 1) * n3);
    m.energy = energies[f];
    m.energy_known = true;
    found_.minima.push_back(std::move(m));
  }
}

void ArtSearchStage::run(TaskRun& run) {
  if (resumed_)
    run.say(std::to_string(found_.events.size()) + " searches recorded, next search id " +
            std::to_string(next_search_id_));
  else
    found_.minima = input_minima(minima_);
  const int n = minima_.count();
  run.say(std::to_string(n) + (n == 1 ? " minimum" : " minima") + " of " +
          std::to_string(minima_.n_atoms()) + " atoms, " +
          std::to_string(settings_.concurrent_searches) +
          " concurrent searches, centres: " + settings_.selection +
          (random_centers() ? " of " + settings_.species : "") + (settings_.walk ? ", walk" : ""));
  // Every slot of the search batch starts as minimum 0; a search sets its own minimum's
  // positions, box and species when it starts.
  const LammpsData slot =
      replica_to_data(minima_.snapshot, 0, system_.type_elements, system_.potential.elements,
                      system_.potential.masses, false);
  start_ = std::chrono::steady_clock::now();
  // Progress (percent, rate, time left) of the successes asked for, as searches end, or of the
  // listed centres handed out, at each chunk's end (without checkpoints: at the start and end).
  const bool random = random_centers();
  Progress progress = run.progress(
      "searches",
      random ? settings_.target_successes : static_cast<int64_t>(centers_.indices.size()), 0,
      random ? "success" : "centre");
  const auto done = [&] {
    return random ? static_cast<int64_t>(found_.successes) : static_cast<int64_t>(center_cursor_);
  };
  progress.update(done());  // where this run starts (rates count from here)
  if (settings_.checkpoint_searches == 0) {
    run_at_once(slot, [&](int64_t successes) { progress.update(successes); });
    progress.finish(random ? done() : static_cast<int64_t>(centers_.indices.size()));
  } else {
    while (more_chunks()) {
      run_chunk(slot);
      run.write_checkpoint(*this);
      progress.update(done(), std::to_string(found_.events.size()) + " of at most " +
                                  std::to_string(settings_.max_attempts) +
                                  " searches ended; checkpoint written");
    }
    progress.finish(done());
  }
  found_.seconds = elapsed();
  // A search stopped by the fault check failed (issue 16): its slot went on with the next
  // search, and it is recorded (faults.json, the closing summary, the exit code).
  for (const ArtEvent& e : found_.events) {
    if (!is_fault(e.outcome) || run.has_failed(static_cast<int>(e.search_id), "search"))
      continue;
    // The atom by its data-file ID where the minimum is one of the input's (a walk's later
    // minima keep their root's atom order, but which root is the walk's bookkeeping).
    const bool input_minimum = e.minimum_id >= 0 && e.minimum_id < minima_.count();
    const std::string atom =
        e.fault_atom < 0 ? std::string("an atom")
        : input_minimum  ? "atom " + std::to_string(minima_.atom_ids[e.minimum_id][e.fault_atom])
                         : "atom index " + std::to_string(e.fault_atom);
    run.record_failure(search_failure(e, name(), settings_.search, atom),
                       std::numeric_limits<int>::max());
  }
}

ReplicaFailure search_failure(const ArtEvent& e, const std::string& stage,
                              const ArtSettings& search, const std::string& atom) {
  ReplicaFailure failure;
  failure.unit = "search";
  failure.replica = static_cast<int>(e.search_id);
  failure.stage = stage;
  failure.step = e.pushes + e.convergence_steps;
  const std::string where = " (minimum " + std::to_string(e.minimum_id) + ")";
  const std::string too_close =
      "check the minimum for atoms too close together and that the potential suits its "
      "elements; a smaller art.search.push_step keeps the search nearer the minimum";
  switch (e.outcome) {
    case ArtOutcome::non_finite_forces:
      failure.cause = "non_finite_forces";
      failure.detail = "the force on " + atom + " became non-finite" + where;
      failure.remedy = too_close;
      break;
    case ArtOutcome::non_finite_positions:
      failure.cause = "non_finite_positions";
      failure.detail = "the position of " + atom + " became non-finite" + where;
      failure.remedy = too_close;
      break;
    case ArtOutcome::step_too_long: {
      char text[160];
      std::snprintf(text, sizeof text, "%s would move %.3g Å in one step (more than %g Å)",
                    atom.c_str(), e.fault_value, search.max_step_displacement);
      failure.cause = "step_too_long";
      failure.detail = text + where;
      std::snprintf(text, sizeof text,
                    "keep art.search.push_step, eigen_step_max and fire_max_displacement well "
                    "below %g Å (defaults 0.15, 0.1, 0.1 Å); otherwise ",
                    search.max_step_displacement);
      failure.remedy = text + too_close;
      break;
    }
    default:
      failure.cause = "non_finite";
      failure.detail = "the energy became non-finite" + where;
      failure.remedy = too_close;
      break;
  }
  return failure;
}

double ArtSearchStage::elapsed() const {
  return elapsed_before_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

ArtRunRequest ArtSearchStage::base_request() const {
  ArtRunRequest request;
  request.selection =
      random_centers() ? CenterSelection::random_of_species : CenterSelection::listed;
  request.species = centers_.species;
  request.successes_per_center = settings_.successes_per_center;
  request.max_attempts_per_center = settings_.max_attempts_per_center;
  request.walk = settings_.walk;
  request.keep_configurations = true;
  return request;
}

// One ArtEngine::run with a fresh batch, force field and engine (so a chunk after a restart
// starts from exactly the state a chunk of the uninterrupted run starts from).
ArtRunResult ArtSearchStage::run_engine(const ArtRunRequest& request, const LammpsData& slot) {
  Batch batch = make_batch(
      std::vector<NamedStructure>(settings_.concurrent_searches, NamedStructure{"minimum 0", slot}),
      system_.type_elements, system_.potential.elements, system_.potential.masses);
  ForceField field;
  field.add_term(make_eam_term(system_.potential, system_.neighbor_skin,
                               default_neighbor_list_kind(), system_.precision));
  ArtEngine engine(batch, field, settings_.search);
  for (const ArtMinimum& m : found_.minima)
    engine.add_minimum(m);
  ArtRunResult result = engine.run(request);
  found_.minima = engine.minima();
  found_.batch_evaluations += result.batch_evaluations;
  return result;
}

void ArtSearchStage::run_at_once(const LammpsData& slot,
                                 const std::function<void(int64_t)>& progress) {
  ArtRunRequest request = base_request();
  if (random_centers())
    request.on_searches_ended = [&](int successes, int64_t) { progress(successes); };
  request.target_successes = settings_.target_successes;
  request.max_attempts = settings_.max_attempts;
  request.centers = centers_.indices;
  ArtRunResult result = run_engine(request, slot);
  found_.started = result.attempts;
  next_search_id_ = result.next_search_id;
  found_.connections = result.connections;
  found_.events = std::move(result.events);
  found_.successes = count_successes(found_.events);
}

bool ArtSearchStage::more_chunks() const {
  return found_.started < settings_.max_attempts &&
         (random_centers() ? found_.successes < settings_.target_successes
                           : center_cursor_ < centers_.indices.size());
}

void ArtSearchStage::run_chunk(const LammpsData& slot) {
  const int64_t per_center =
      static_cast<int64_t>(settings_.max_attempts_per_center) * minima_.count();
  const size_t centers_per_chunk =
      static_cast<size_t>(std::max<int64_t>(1, settings_.checkpoint_searches / per_center));
  ArtRunRequest request = base_request();
  request.first_search_id = next_search_id_;
  request.walkers = walkers_;
  request.max_attempts =
      static_cast<int>(random_centers() ? std::min<int64_t>(settings_.checkpoint_searches,
                                                            settings_.max_attempts - found_.started)
                                        : settings_.max_attempts - found_.started);
  request.target_successes = settings_.target_successes - found_.successes;
  if (!random_centers()) {
    const size_t end = std::min(centers_.indices.size(), center_cursor_ + centers_per_chunk);
    request.centers.assign(centers_.indices.begin() + center_cursor_,
                           centers_.indices.begin() + end);
    center_cursor_ = end;
  }
  ArtRunResult result = run_engine(request, slot);
  found_.started += result.attempts;
  // Random centres: a chunk owns a fixed range of search ids, whether or not all of them ran
  // (searches abandoned at the success target are not resumed).
  next_search_id_ =
      random_centers() ? request.first_search_id + request.max_attempts : result.next_search_id;
  walkers_ = result.walkers;
  for (ArtConnection c : result.connections) {  // rows of this chunk's events
    c.event_index += found_.events.size();
    found_.connections.push_back(c);
  }
  for (ArtEvent& e : result.events) {
    found_.successes += e.success ? 1 : 0;
    found_.events.push_back(std::move(e));
  }
}

}  // namespace glassland
