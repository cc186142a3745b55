// The stages of `task: art` (docs/art.md "task: art"): minimise minima → searches → events →
// outputs → report, and the state they hand on. host/tasks/art/art_task.cpp reads the input and
// runs them; TaskRun (host/tasks/task_run.hpp) gives them their checkpoint, resume and messages.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/batch_io.hpp"
#include "host/tasks/art/art_settings.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/replica_failures.hpp"
#include "host/tasks/stage.hpp"
#include "host/tasks/task_system.hpp"
#include "saddle/art.hpp"
#include "saddle/saddle_events.hpp"

namespace glassland {

// The temperature of the structure a minimum was quenched from (paper 004 groups ART spectra by
// it): art.minimum_temperatures, or the stop of prepare's summary.json that wrote the file, or
// unknown (NaN); `from` says which.
struct SourceTemperature {
  double kelvin = std::numeric_limits<double>::quiet_NaN();
  std::string from = "unknown";
};

// The minima the searches start from: the system section's replicas, then art.minima's files,
// one replica each of `snapshot` (minimised by the first stage when art.minimize_first).
struct ArtMinima {
  BatchSnapshot snapshot;
  std::vector<std::string> sources;             // where each came from (file or "build seed N")
  std::vector<SourceTemperature> temperatures;  // per input minimum
  std::vector<std::vector<int>> atom_ids;       // data-file atom IDs by atom index, per minimum
  nlohmann::json minimization_records = nlohmann::json::array();
  int count() const { return static_cast<int>(sources.size()); }
  int n_atoms() const { return snapshot.n_atoms; }
};

// The minima as structures, read before the input is finished (a missing file is an input
// error); `sources` receives where each came from.
std::vector<NamedStructure> read_minimum_structures(const TaskSystem& system,
                                                    const ArtTaskSettings& settings,
                                                    std::vector<std::string>& sources);
ArtMinima make_art_minima(const TaskSystem& system, const std::vector<NamedStructure>& structures,
                          std::vector<std::string> sources);

// The source temperature of every minimum (host/tasks/art/art_source_temperatures.cpp):
// settings.minimum_temperatures when given (its length must match; an error naming the key and
// the input file otherwise), else for each data file the stop or final structure of a prepare
// summary.json in the file's directory that names it.
std::vector<SourceTemperature> source_temperatures(const std::string& input_file,
                                                   const ArtTaskSettings& settings,
                                                   const std::vector<std::string>& sources);

// Where the searches start: atom indices (centers.select "atoms" or "every_atom") or a species
// index for random centres (-1: any). Errors name the input file and the key.
struct ArtCenters {
  std::vector<int> indices;
  int species = -1;
};
ArtCenters select_centers(const std::string& input_file, const ArtTaskSettings& settings,
                          const TaskSystem& system, const ArtMinima& minima);

// Stage "minimise minima": every minimum minimised (art.minimize), its record kept for the
// results; a minimisation that did not converge is a warning on stderr.
void minimize_minima(const TaskSystem& system, const MinimizeSettings& settings, ArtMinima& minima);

// What the searches found.
struct ArtSearches {
  std::vector<ArtEvent> events;            // every search that ended, by search id
  std::vector<ArtMinimum> minima;          // the input minima, then those a walk found
  std::vector<ArtConnection> connections;  // walks: in the order the walk made them
  int64_t started = 0;                     // searches started (ended + abandoned)
  int successes = 0;
  int64_t batch_evaluations = 0;
  double seconds = 0.0;  // wall time of the searches, over restarts
  int64_t abandoned() const { return started - static_cast<int64_t>(events.size()); }
};

// Stage "searches": one ArtEngine batch of art.concurrent_searches replicas. With
// art.checkpoint_searches the searches run in chunks of a fixed range of search ids (random
// centres) or of centres (listed centres); each chunk is one ArtEngine::run with a fresh engine
// and force field, and a checkpoint follows it. A search depends only on (seed, search id) and
// the chunk boundaries do not depend on timing, so a run killed and restarted ends with the
// events of the uninterrupted run.
// The failure a search stopped by the fault check (is_fault(e.outcome)) means: what broke down,
// at which atom (`atom`: "atom 17", as the user knows it), and what to change (faults.json, the
// closing summary).
ReplicaFailure search_failure(const ArtEvent& e, const std::string& stage,
                              const ArtSettings& search, const std::string& atom);

class ArtSearchStage : public Stage {
 public:
  ArtSearchStage(const TaskSystem& system, const ArtTaskSettings& settings, ArtMinima& minima,
                 const ArtCenters& centers)
      : system_(system), settings_(settings), minima_(minima), centers_(centers) {}
  std::string name() const override { return "searches"; }
  std::string checkpoint_file() const override {
    return settings_.checkpoint_searches > 0 ? "checkpoint.h5" : "";
  }
  void save(Checkpoint& checkpoint) const override;
  void resume(const Checkpoint& checkpoint) override;
  void run(TaskRun& run) override;
  ArtSearches& found() { return found_; }

 private:
  bool random_centers() const { return settings_.selection == "random"; }
  ArtRunRequest base_request() const;
  ArtRunResult run_engine(const ArtRunRequest& request, const LammpsData& slot);
  // `progress`: called with the successes so far as searches end (random centres).
  void run_at_once(const LammpsData& slot, const std::function<void(int64_t)>& progress);
  bool more_chunks() const;
  void run_chunk(const LammpsData& slot);
  void save_walk(Checkpoint& checkpoint) const;
  void resume_walk(const Checkpoint& checkpoint);
  double elapsed() const;

  const TaskSystem& system_;
  const ArtTaskSettings& settings_;
  ArtMinima& minima_;
  const ArtCenters& centers_;
  ArtSearches found_;
  int64_t next_search_id_ = 0;
  size_t center_cursor_ = 0;  // listed centres: the first not yet given to a chunk
  std::vector<int> walkers_;  // walks: the minimum each slot searches from next
  double elapsed_before_ = 0.0;
  std::chrono::steady_clock::time_point start_;
  bool resumed_ = false;
};

// The input minimum every minimum of a walk descends from (its atom IDs, species and box are
// that minimum's): minima [0, n_input) are their own roots; a walk's minimum b first reached
// from a takes a's root. Connections are in the order the walk made them.
std::vector<int> walk_roots(int n_input, size_t n_minima, const std::vector<ArtConnection>& links);

// Stage "events": the searches' events as a catalogue: duplicates merged into unique saddles,
// every minimum's root and energy.
struct ArtEventCatalogue {
  std::vector<int> root;              // walk_roots of every minimum
  std::vector<UniqueSaddle> unique;   // merge_duplicate_saddles
  std::vector<int> unique_of_event;   // row of `unique`, -1 for failed searches
  std::vector<int> duplicate_count;   // per event: how many events found its saddle (0: failed)
  std::vector<int64_t> duplicate_of;  // per event: search id of its saddle's first event
  const std::vector<std::vector<int>>* atom_ids = nullptr;
  const std::vector<SourceTemperature>* temperatures = nullptr;  // per input minimum
  // The data-file atom ID of atom `index` of the minimum `event` started from.
  int atom_id(const ArtEvent& event, int index) const {
    return (*atom_ids)[root.at(event.minimum_id)][index];
  }
};
ArtEventCatalogue catalogue_events(const ArtTaskSettings& settings, const ArtMinima& minima,
                                   ArtSearches& found);

// Stage "outputs": structures/ (art.write_structures), events.json and results.h5.
void write_art_outputs(TaskRun& run, const TaskSystem& system, const ArtTaskSettings& settings,
                       const ArtMinima& minima, const ArtSearches& found,
                       const ArtEventCatalogue& catalogue);

// Stage "report": the summary on stdout.
void print_art_report(const TaskRun& run, const ArtSearches& found,
                      const ArtEventCatalogue& catalogue);

}  // namespace glassland
