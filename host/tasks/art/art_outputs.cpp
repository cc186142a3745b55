// Stages "events", "outputs" and "report" of `task: art` (host/tasks/art/art_stages.hpp): the
// event catalogue, events.json, results.h5 (event table, unique saddles, walk connectivity,
// displacement fields), structures/ and the summary on stdout (docs/art.md "task: art").
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <utility>

#include "analysis/sample_statistics.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/h5md_writer.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/art/art_stages.hpp"
#include "host/tasks/task_run.hpp"

namespace glassland {

ArtEventCatalogue catalogue_events(const ArtTaskSettings& settings, const ArtMinima& minima,
                                   ArtSearches& found) {
  const std::vector<ArtEvent>& events = found.events;
  ArtEventCatalogue catalogue;
  // Walk minima found by the engine descend from an input minimum: their atom IDs and data-file
  // template are that minimum's.
  catalogue.root = walk_roots(minima.count(), found.minima.size(), found.connections);
  catalogue.atom_ids = &minima.atom_ids;
  catalogue.temperatures = &minima.temperatures;
  for (const ArtEvent& e : events) {  // chunks run on fresh engines: energies from the events
    ArtMinimum& m = found.minima.at(e.minimum_id);
    if (!m.energy_known) {
      m.energy = e.e_initial;
      m.energy_known = true;
    }
  }
  catalogue.unique = merge_duplicate_saddles(events, settings.duplicate_energy_tolerance,
                                             settings.duplicate_position_tolerance, &found.minima);
  catalogue.duplicate_count.assign(events.size(), 0);
  catalogue.duplicate_of.assign(events.size(), -1);
  catalogue.unique_of_event.assign(events.size(), -1);
  for (size_t u = 0; u < catalogue.unique.size(); ++u)
    for (size_t e : catalogue.unique[u].event_indices) {
      catalogue.duplicate_count[e] = catalogue.unique[u].count;
      catalogue.duplicate_of[e] = events[catalogue.unique[u].event_index].search_id;
      catalogue.unique_of_event[e] = static_cast<int>(u);
    }
  return catalogue;
}

namespace {

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

// structures/event_NNNNNN_{initial,saddle,final}.data of every successful event; the files per
// event (relative to the output directory, empty for the others).
std::vector<std::array<std::string, 3>> write_event_structures(TaskRun& run,
                                                               const TaskSystem& system,
                                                               const ArtMinima& minima,
                                                               const ArtSearches& found,
                                                               const ArtEventCatalogue& catalogue) {
  std::filesystem::create_directories(run.path("structures"));
  std::vector<std::array<std::string, 3>> written(found.events.size());
  std::map<int, LammpsData> templates;
  for (size_t k = 0; k < found.events.size(); ++k) {
    const ArtEvent& e = found.events[k];
    if (!e.success || e.saddle_positions.empty())
      continue;
    const int r = catalogue.root.at(e.minimum_id);
    if (!templates.count(r))
      templates[r] = replica_to_data(minima.snapshot, r, system.type_elements,
                                     system.potential.elements, system.potential.masses, false);
    const ArtMinimum& initial = found.minima.at(e.minimum_id);
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
      write_lammps_data(run.path(files[f]), data);
    }
    written[k] = files;
  }
  return written;
}

nlohmann::ordered_json temperature_value(const SourceTemperature& t) {
  return std::isnan(t.kelvin) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.kelvin);
}

// events.json with the source of every event (the file of the input minimum its walk descends
// from, and that structure's temperature) and the list of input minima with theirs, one event
// per line as events_json writes them.
std::string with_sources(const std::string& text, const ArtMinima& minima,
                         const ArtEventCatalogue& catalogue) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(text);
  for (auto& event : doc["events"]) {
    const int root = catalogue.root.at(event["minimum"].get<int>());
    event["source"] = minima.sources.at(root);
    event["source_temperature_K"] = temperature_value(minima.temperatures.at(root));
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (int m = 0; m < minima.count(); ++m) {
    list.push_back({{"minimum", m},
                    {"source", minima.sources[m]},
                    {"source_temperature_K", temperature_value(minima.temperatures[m])},
                    {"temperature_from", minima.temperatures[m].from}});
    // The file wherever analyze runs from (sources are relative to where art ran).
    if (std::filesystem::is_regular_file(minima.sources[m]))
      list.back()["path"] =
          std::filesystem::absolute(minima.sources[m]).lexically_normal().string();
  }
  doc["minima"] = list;
  std::string out = "{\"events\":[";
  for (size_t k = 0; k < doc["events"].size(); ++k)
    out += (k ? ",\n" : "\n") + doc["events"][k].dump();
  out += "\n]";
  for (const auto& [key, value] : doc.items())
    if (key != "events")
      out += ",\"" + key + "\":" + value.dump();
  return out + "}\n";
}

void write_events_json(TaskRun& run, const ArtMinima& minima, const ArtSearches& found,
                       const ArtEventCatalogue& catalogue,
                       std::vector<std::array<std::string, 3>> files) {
  EventsJsonOptions options;
  options.atom_label = [&](const ArtEvent& e, int index) { return catalogue.atom_id(e, index); };
  options.duplicate_count = catalogue.duplicate_count;
  options.duplicate_of = catalogue.duplicate_of;
  options.files = std::move(files);
  options.extra_members = "\"abandoned\":" + std::to_string(found.abandoned()) +
                          ",\"unique_saddles\":" + std::to_string(catalogue.unique.size()) +
                          ",\"atom_labels\":\"atom IDs of the data files\"";
  ArtRunResult all;
  all.events = found.events;
  write_file_atomically(run.path("events.json"),
                        with_sources(events_json(all, options), minima, catalogue));
}

// results.h5's root attributes: the run's parameters and counts.
void write_run_attributes(hdf5::File& file, const TaskRun& run, const ArtTaskSettings& settings,
                          const ArtSearches& found) {
  file.set_attribute("task", "art");
  file.set_attribute("effective_input", run.effective_input().dump());
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
      {"final_force_tolerance_eV_per_A", a.final_force_tolerance},
      {"minimize_force_tolerance_eV_per_A", a.minimize_force_tolerance},
      {"connect_tolerance_A", a.connect_tolerance},
      {"second_eigenvalue_tolerance_eV_per_A2", a.second_eigenvalue_tolerance},
      {"participation_threshold_A", a.participation_threshold},
      {"duplicate_energy_tolerance_eV", settings.duplicate_energy_tolerance},
      {"duplicate_position_tolerance_A", settings.duplicate_position_tolerance}};
  for (const auto& [name, value] : parameters)
    file.set_attribute(name, value);
  file.set_attribute("attempts", static_cast<int64_t>(found.events.size()));
  file.set_attribute("successes", static_cast<int64_t>(found.successes));
  file.set_attribute("abandoned", found.abandoned());
  file.set_attribute("wall_time_s", found.seconds);
  file.set_attribute("batch_evaluations", found.batch_evaluations);
}

// events/: one dataset per column of the event table, one row per search that ended; the
// energies and geometry of failed searches are NaN.
void write_event_table(hdf5::File& file, const ArtSearches& found,
                       const ArtEventCatalogue& catalogue) {
  const std::vector<ArtEvent>& events = found.events;
  const double nan = std::nan("");
  auto column = [&](const char* name, auto get, const char* unit) {
    std::vector<double> values;
    for (const ArtEvent& e : events)
      values.push_back(get(e));
    hdf5::Dataset d = file.write(std::string("events/") + name, values);
    if (unit[0])
      set_unit(d, unit);
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
             [&](const ArtEvent& e) { return int64_t(catalogue.atom_id(e, e.center_atom)); });
  int_column("outcome", [](const ArtEvent& e) { return int64_t(static_cast<int>(e.outcome)); });
  int_column("success", [](const ArtEvent& e) { return int64_t(e.success); });
  int_column("pushes", [](const ArtEvent& e) { return int64_t(e.pushes); });
  int_column("convergence_steps", [](const ArtEvent& e) { return int64_t(e.convergence_steps); });
  int_column("force_evaluations", [](const ArtEvent& e) { return int64_t(e.force_evaluations); });
  int_column("lanczos_evaluations",
             [](const ArtEvent& e) { return int64_t(e.lanczos_evaluations); });
  int_column("final_minimum", [](const ArtEvent& e) { return int64_t(e.final_minimum_id); });
  std::vector<int64_t> unique_index(catalogue.unique_of_event.begin(),
                                    catalogue.unique_of_event.end());
  file.write("events/unique_saddle", unique_index)
      .set_attribute("meaning", "row of unique_saddles/, -1 for failed searches");
  column(
      "e_initial_eV", [](const ArtEvent& e) { return e.e_initial; }, "eV");
  column(
      "source_temperature_K",
      [&](const ArtEvent& e) {
        return (*catalogue.temperatures)[catalogue.root.at(e.minimum_id)].kelvin;
      },
      "K");
  auto if_success = [nan](auto get) {
    return [get, nan](const ArtEvent& e) { return e.success ? get(e) : nan; };
  };
  column("e_saddle_eV", if_success([](const ArtEvent& e) { return e.e_saddle; }), "eV");
  column("e_final_eV", if_success([](const ArtEvent& e) { return e.e_final; }), "eV");
  column("barrier_eV", if_success([](const ArtEvent& e) { return e.barrier; }), "eV");
  column("asymmetry_eV", if_success([](const ArtEvent& e) { return e.asymmetry; }), "eV");
  column("eigenvalue", if_success([](const ArtEvent& e) { return e.lambda1; }), "eV Angstrom-2");
  column("second_eigenvalue", if_success([](const ArtEvent& e) { return e.lambda2; }),
         "eV Angstrom-2");
  column("saddle_max_force_eV_per_A",
         if_success([](const ArtEvent& e) { return e.saddle_max_force; }), "eV Angstrom-1");
  column("final_max_force_eV_per_A",
         if_success([](const ArtEvent& e) { return e.final_max_force; }), "eV Angstrom-1");
  column("saddle_displacement_norm_A",
         if_success([](const ArtEvent& e) { return e.saddle_displacement_norm; }), "Angstrom");
  column("saddle_max_displacement_A",
         if_success([](const ArtEvent& e) { return e.saddle_max_displacement; }), "Angstrom");
  column("final_displacement_norm_A",
         if_success([](const ArtEvent& e) { return e.final_displacement_norm; }), "Angstrom");
  column("final_max_displacement_A",
         if_success([](const ArtEvent& e) { return e.final_max_displacement; }), "Angstrom");
  column("backward_max_displacement_A",
         if_success([](const ArtEvent& e) { return e.backward_max_displacement; }), "Angstrom");
}

// The string table of outcomes: events/outcome indexes it.
void write_outcome_names(hdf5::File& file) {
  std::vector<int64_t> codes;
  std::vector<std::string> reasons;
  for (int code = 0; code <= static_cast<int>(kLastArtOutcome); ++code) {
    codes.push_back(code);
    reasons.push_back(to_string(static_cast<ArtOutcome>(code)));
  }
  file.write("outcomes/code", codes);
  file.write("outcomes/reason", reasons);
}

void write_unique_saddles(hdf5::File& file, const ArtSearches& found,
                          const ArtEventCatalogue& catalogue) {
  std::vector<int64_t> u_event, u_search, u_minimum, u_count;
  std::vector<double> u_saddle, u_barrier;
  for (const UniqueSaddle& u : catalogue.unique) {
    u_event.push_back(static_cast<int64_t>(u.event_index));
    u_search.push_back(found.events[u.event_index].search_id);
    u_minimum.push_back(u.minimum_id);
    u_count.push_back(u.count);
    u_saddle.push_back(u.e_saddle);
    u_barrier.push_back(u.barrier);
  }
  file.write("unique_saddles/event_row", u_event);
  file.write("unique_saddles/search_id", u_search);
  file.write("unique_saddles/minimum", u_minimum);
  file.write("unique_saddles/count", u_count);
  set_unit(file.write("unique_saddles/e_saddle_eV", u_saddle), "eV");
  set_unit(file.write("unique_saddles/barrier_eV", u_barrier), "eV");
}

void write_minima(hdf5::File& file, const ArtMinima& minima, const ArtSearches& found) {
  std::vector<double> energies;
  for (const ArtMinimum& m : found.minima)
    energies.push_back(m.energy_known ? m.energy : std::nan(""));
  file.write("minima/energy_eV", energies)
      .set_attribute("meaning", "NaN: no search started from it");
  file.write("minima/source",
             std::vector<std::string>(minima.sources.begin(), minima.sources.end()));
  std::vector<double> kelvin;
  std::vector<std::string> from;
  for (const SourceTemperature& t : minima.temperatures) {
    kelvin.push_back(t.kelvin);
    from.push_back(t.from);
  }
  file.write("minima/source_temperature_K", kelvin)
      .set_attribute("meaning", "per input minimum; NaN: unknown");
  file.write("minima/temperature_from", from);
}

// connectivity/: the walk's graph of minima, one edge per pair of minima it connected.
void write_connectivity(hdf5::File& file, const ArtSearches& found) {
  const ConnectivityGraph graph = connectivity_graph(found.events, found.connections, found.minima);
  std::vector<int64_t> a, b, count, event_row;
  std::vector<double> e_saddle;
  for (const ConnectivityEdge& edge : graph.edges) {
    a.push_back(edge.minimum_a);
    b.push_back(edge.minimum_b);
    e_saddle.push_back(edge.e_saddle);
    count.push_back(edge.count);
  }
  for (const ArtConnection& c : found.connections)
    event_row.push_back(static_cast<int64_t>(c.event_index));
  file.write("connectivity/minima_energy_eV", graph.minima_energies);
  file.write("connectivity/edge_minimum_a", a);
  file.write("connectivity/edge_minimum_b", b);
  file.write("connectivity/edge_e_saddle_eV", e_saddle);
  file.write("connectivity/edge_count", count);
  file.write("connectivity/event_row", event_row);
}

// displacements/: saddle − initial and final − initial of every successful event.
void write_displacements(hdf5::File& file, const ArtSearches& found, int n_atoms) {
  std::vector<int64_t> search;
  std::vector<double> saddle, final_state;
  for (const ArtEvent& e : found.events) {
    if (!e.success || e.saddle_positions.empty())
      continue;
    search.push_back(e.search_id);
    const ArtMinimum& initial = found.minima.at(e.minimum_id);
    for (size_t j = 0; j < initial.positions.size(); ++j) {
      saddle.push_back(e.saddle_positions[j] - initial.positions[j]);
      final_state.push_back(e.final_positions[j] - initial.positions[j]);
    }
  }
  const std::vector<hsize_t> shape = {search.size(), static_cast<hsize_t>(n_atoms), 3};
  file.write("displacements/search_id", search);
  set_unit(file.write("displacements/saddle_A", saddle, shape), "Angstrom");
  set_unit(file.write("displacements/final_A", final_state, shape), "Angstrom");
}

}  // namespace

void write_art_outputs(TaskRun& run, const TaskSystem& system, const ArtTaskSettings& settings,
                       const ArtMinima& minima, const ArtSearches& found,
                       const ArtEventCatalogue& catalogue) {
  std::vector<std::array<std::string, 3>> files;
  if (settings.write_structures)
    files = write_event_structures(run, system, minima, found, catalogue);
  write_events_json(run, minima, found, catalogue, std::move(files));
  write_file_atomically(run.path("results.h5"), [&](const std::string& temporary) {
    hdf5::File file = hdf5::File::create(temporary);
    write_run_attributes(file, run, settings, found);
    write_event_table(file, found, catalogue);
    write_outcome_names(file);
    write_unique_saddles(file, found, catalogue);
    write_minima(file, minima, found);
    if (settings.walk)
      write_connectivity(file, found);
    if (settings.write_displacements)
      write_displacements(file, found, minima.n_atoms());
    file.close();
  });
}

void print_art_report(const TaskRun& run, const ArtSearches& found,
                      const ArtEventCatalogue& catalogue) {
  // Barrier statistics over the successful events (duplicates counted as found).
  std::vector<double> barriers, evaluations_per_success;
  int64_t all_evaluations = 0;
  for (const ArtEvent& e : found.events) {
    all_evaluations += e.force_evaluations;
    if (e.success) {
      barriers.push_back(e.barrier);
      evaluations_per_success.push_back(e.force_evaluations);
    }
  }
  const int n_success = static_cast<int>(barriers.size());
  const double seconds = found.seconds;
  std::printf(
      "art: %zu searches ended (%lld abandoned at the target), %d successful, %zu unique "
      "saddles\n",
      found.events.size(), static_cast<long long>(found.abandoned()), n_success,
      catalogue.unique.size());
  // No statistic of an empty sample, no spread of one value: a summary never prints nan.
  if (n_success == 0) {
    std::printf("art: no successful search: no barrier statistics (%lld force evaluations)\n",
                static_cast<long long>(all_evaluations));
  } else {
    if (n_success == 1)
      std::printf("art: barrier %.6f eV (one successful search: no spread)\n", barriers[0]);
    else
      std::printf("art: barrier mean %.6f eV, median %.6f eV, std %.6f eV\n",
                  analysis::sample_mean(barriers), analysis::sample_median(barriers),
                  analysis::sample_standard_deviation(barriers));
    std::printf(
        "art: force evaluations per successful search: mean %.1f, median %.1f; all "
        "searches' evaluations per success %.1f\n",
        analysis::sample_mean(evaluations_per_success),
        analysis::sample_median(evaluations_per_success),
        static_cast<double>(all_evaluations) / n_success);
  }
  std::printf(
      "art: wall time %.2f s, %.1f saddles per hour; wrote events.json and results.h5 in "
      "%s\n",
      seconds, seconds > 0 ? 3600.0 * n_success / seconds : 0.0, run.output().directory.c_str());
}

}  // namespace glassland
