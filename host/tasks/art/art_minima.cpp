// The minima of `task: art` and their centre atoms (docs/art.md "task: art"), and the stage that
// minimises them before the searches.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "host/io/input_error.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/art/art_stages.hpp"

namespace glassland {

std::vector<NamedStructure> read_minimum_structures(const TaskSystem& system,
                                                    const ArtTaskSettings& settings,
                                                    std::vector<std::string>& sources) {
  std::vector<NamedStructure> structures;
  sources = system.replica_sources;
  const BatchSnapshot replicas = snapshot(system.batch);
  for (int r = 0; r < replicas.n_replicas; ++r)
    structures.push_back(
        {sources[r], replica_to_data(replicas, r, system.type_elements, system.potential.elements,
                                     system.potential.masses, false)});
  for (const std::string& file : settings.extra_minima) {
    structures.push_back({file, read_lammps_data(file)});
    system.checks.apply(structures.back());
    sources.push_back(file);
  }
  return structures;
}

ArtMinima make_art_minima(const TaskSystem& system, const std::vector<NamedStructure>& structures,
                          std::vector<std::string> sources) {
  ArtMinima minima;
  minima.snapshot = snapshot(make_batch(structures, system.type_elements, system.potential.elements,
                                        system.potential.masses));
  minima.sources = std::move(sources);
  // Atom IDs of every minimum, by atom index (the batch keeps a data file's ID order).
  const int n_atoms = minima.n_atoms();
  minima.atom_ids.resize(minima.count());
  for (int m = 0; m < minima.count(); ++m)
    minima.atom_ids[m].assign(minima.snapshot.ids.begin() + static_cast<int64_t>(m) * n_atoms,
                              minima.snapshot.ids.begin() + static_cast<int64_t>(m + 1) * n_atoms);
  return minima;
}

namespace {

// centers.select "atoms": the listed atom IDs as indices; an ID must name one atom in all minima.
std::vector<int> listed_centers(const std::string& input_file, const ArtTaskSettings& settings,
                                const ArtMinima& minima) {
  const auto& ids = minima.atom_ids;
  for (int m = 1; m < minima.count(); ++m)
    if (ids[m] != ids[0])
      throw InputError(input_file +
                       ": art.centers.atoms: the minima do not hold the same atom IDs (\"" +
                       minima.sources[0] + "\" and \"" + minima.sources[m] +
                       "\"), so an atom ID does not name one atom in all of them");
  std::vector<int> indices;
  for (int64_t id : settings.center_ids) {
    const auto it = std::find(ids[0].begin(), ids[0].end(), static_cast<int>(id));
    if (it == ids[0].end())
      throw InputError(input_file + ": art.centers.atoms: no atom with ID " + std::to_string(id) +
                       " in \"" + minima.sources[0] + "\"");
    indices.push_back(static_cast<int>(it - ids[0].begin()));
  }
  return indices;
}

// Random centres of one species: its element index, which some minimum must hold.
int center_species(const std::string& input_file, const ArtTaskSettings& settings,
                   const TaskSystem& system, const ArtMinima& minima) {
  const auto& elements = system.potential.elements;
  const auto it = std::find(elements.begin(), elements.end(), settings.species);
  if (it == elements.end())
    throw InputError(input_file + ": art.centers.species: \"" + settings.species +
                     "\" is not an element of the potential (or \"any\")");
  const int species = static_cast<int>(it - elements.begin());
  const auto& present = minima.snapshot.elements;
  if (std::find(present.begin(), present.end(), species) == present.end())
    throw InputError(input_file + ": art.centers.species: no " + settings.species +
                     " atom in the minima");
  return species;
}

}  // namespace

ArtCenters select_centers(const std::string& input_file, const ArtTaskSettings& settings,
                          const TaskSystem& system, const ArtMinima& minima) {
  ArtCenters centers;
  if (settings.selection == "atoms") {
    centers.indices = listed_centers(input_file, settings, minima);
  } else if (settings.selection == "every_atom") {
    centers.indices.resize(minima.n_atoms());
    std::iota(centers.indices.begin(), centers.indices.end(), 0);
  } else if (settings.species != "any") {
    centers.species = center_species(input_file, settings, system, minima);
  }
  return centers;
}

void minimize_minima(const TaskSystem& system, const MinimizeSettings& settings,
                     ArtMinima& minima) {
  std::vector<int> all(minima.count());
  std::iota(all.begin(), all.end(), 0);
  const MinimizedCopies minimized = minimize_copies(system, minima.snapshot, all, settings);
  minima.snapshot.positions = minimized.minimized.positions;
  for (int m = 0; m < minima.count(); ++m) {
    nlohmann::json record = minimized.records[m];
    record["minimum"] = m;
    record["source"] = minima.sources[m];
    minima.minimization_records.push_back(record);
    // Searching from a point that is not a minimum gives meaningless barriers: say so loudly.
    if (!is_converged(minimized.results[m].status))
      std::fprintf(stderr, "art: WARNING minimum %d (%s): minimisation %s after %d iterations\n", m,
                   minima.sources[m].c_str(), to_string(minimized.results[m].status).c_str(),
                   minimized.results[m].iterations);
  }
}

}  // namespace glassland
