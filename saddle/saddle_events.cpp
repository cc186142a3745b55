#include "saddle/saddle_events.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace glassland {

namespace {

double largest_atomic_difference(const std::vector<double>& a, const std::vector<double>& b,
                                 const Box* box) {
  double largest = 0.0;
  for (size_t i = 0; i + 2 < a.size() && i + 2 < b.size(); i += 3) {
    double d[3] = {a[i] - b[i], a[i + 1] - b[i + 1], a[i + 2] - b[i + 2]};
    if (box)
      box->minimum_image(d);
    largest = std::max(largest, std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
  }
  return largest;
}

std::string number(double x) {
  if (!std::isfinite(x))
    return "null";
  // Full precision: the JSON numbers read back as the same doubles as results.h5 holds.
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", x);
  return buffer;
}

}  // namespace

std::vector<UniqueSaddle> merge_duplicate_saddles(const std::vector<ArtEvent>& events,
                                                  double energy_tolerance,
                                                  double position_tolerance,
                                                  const std::vector<ArtMinimum>* minima) {
  std::vector<UniqueSaddle> unique;
  for (size_t e = 0; e < events.size(); ++e) {
    const ArtEvent& event = events[e];
    if (!event.success)
      continue;
    const Box* box = nullptr;
    if (minima && event.minimum_id >= 0 && event.minimum_id < static_cast<int>(minima->size()))
      box = &(*minima)[event.minimum_id].box;
    bool merged = false;
    for (UniqueSaddle& u : unique) {
      const ArtEvent& representative = events[u.event_index];
      if (representative.minimum_id != event.minimum_id ||
          std::fabs(representative.e_saddle - event.e_saddle) >= energy_tolerance)
        continue;
      if (!event.saddle_positions.empty() && !representative.saddle_positions.empty() &&
          largest_atomic_difference(event.saddle_positions, representative.saddle_positions, box) >=
              position_tolerance)
        continue;
      ++u.count;
      u.event_indices.push_back(e);
      merged = true;
      break;
    }
    if (!merged) {
      UniqueSaddle u;
      u.event_index = e;
      u.minimum_id = event.minimum_id;
      u.e_saddle = event.e_saddle;
      u.barrier = event.barrier;
      u.count = 1;
      u.event_indices.push_back(e);
      unique.push_back(u);
    }
  }
  return unique;
}

ConnectivityGraph connectivity_graph(const std::vector<ArtEvent>& events,
                                     const std::vector<ArtConnection>& connections,
                                     const std::vector<ArtMinimum>& minima) {
  ConnectivityGraph graph;
  for (const ArtMinimum& m : minima)
    graph.minima_energies.push_back(m.energy);
  std::map<std::pair<int, int>, size_t> index;
  for (const ArtConnection& c : connections) {
    if (c.minimum_a == c.minimum_b)
      continue;
    const std::pair<int, int> key(std::min(c.minimum_a, c.minimum_b),
                                  std::max(c.minimum_a, c.minimum_b));
    const double e_saddle = events.at(c.event_index).e_saddle;
    auto it = index.find(key);
    if (it == index.end()) {
      index[key] = graph.edges.size();
      graph.edges.push_back({key.first, key.second, e_saddle, 1});
    } else {
      ConnectivityEdge& edge = graph.edges[it->second];
      edge.e_saddle = std::min(edge.e_saddle, e_saddle);
      ++edge.count;
    }
  }
  return graph;
}

std::string events_json(const ArtRunResult& result, const EventsJsonOptions& options) {
  auto label = [&](const ArtEvent& e, int index) {
    return options.atom_label ? options.atom_label(e, index) : index;
  };
  auto quoted = [](const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "\"";
  };
  std::ostringstream out;
  out << "{\"events\":[";
  int successes = 0;
  for (size_t i = 0; i < result.events.size(); ++i) {
    const ArtEvent& e = result.events[i];
    successes += e.success ? 1 : 0;
    if (i)
      out << ",";
    out << "\n{\"search_id\":" << e.search_id << ",\"minimum\":" << e.minimum_id
        << ",\"center_atom\":" << label(e, e.center_atom)
        << ",\"success\":" << (e.success ? "true" : "false")
        << ",\"outcome\":" << quoted(to_string(e.outcome))
        << ",\"outcome_code\":" << static_cast<int>(e.outcome);
    if (!e.success)
      out << ",\"reason\":" << quoted(to_string(e.outcome));
    out << ",\"e_initial_eV\":" << number(e.e_initial);
    if (e.success) {
      out << ",\"e_saddle_eV\":" << number(e.e_saddle) << ",\"e_final_eV\":" << number(e.e_final)
          << ",\"barrier_eV\":" << number(e.barrier) << ",\"asymmetry_eV\":" << number(e.asymmetry)
          << ",\"eigenvalue\":" << number(e.lambda1)
          << ",\"second_eigenvalue\":" << number(e.lambda2)
          << ",\"saddle_max_force_eV_per_A\":" << number(e.saddle_max_force)
          << ",\"final_max_force_eV_per_A\":" << number(e.final_max_force)
          << ",\"backward_max_displacement_A\":" << number(e.backward_max_displacement)
          << ",\"saddle_displacement_norm_A\":" << number(e.saddle_displacement_norm)
          << ",\"saddle_max_displacement_A\":" << number(e.saddle_max_displacement)
          << ",\"final_displacement_norm_A\":" << number(e.final_displacement_norm)
          << ",\"final_max_displacement_A\":" << number(e.final_max_displacement)
          << ",\"participating_atoms\":[";
      for (size_t a = 0; a < e.participating_atoms.size(); ++a)
        out << (a ? "," : "") << label(e, e.participating_atoms[a]);
      out << "]";
      if (e.final_minimum_id >= 0)
        out << ",\"final_minimum\":" << e.final_minimum_id;
      if (i < options.duplicate_count.size() && options.duplicate_count[i] > 0)
        out << ",\"count\":" << options.duplicate_count[i];
      if (i < options.duplicate_of.size() && options.duplicate_of[i] >= 0)
        out << ",\"duplicate_of\":" << options.duplicate_of[i];
      if (i < options.files.size() && !options.files[i][0].empty())
        out << ",\"files\":{\"initial\":" << quoted(options.files[i][0])
            << ",\"saddle\":" << quoted(options.files[i][1])
            << ",\"final\":" << quoted(options.files[i][2]) << "}";
    }
    out << ",\"pushes\":" << e.pushes << ",\"convergence_steps\":" << e.convergence_steps
        << ",\"force_evaluations\":" << e.force_evaluations
        << ",\"lanczos_evaluations\":" << e.lanczos_evaluations << "}";
  }
  out << "\n],\"attempts\":" << result.events.size() << ",\"successes\":" << successes;
  if (!options.extra_members.empty())
    out << "," << options.extra_members;
  out << "}\n";
  return out.str();
}

}  // namespace glassland
