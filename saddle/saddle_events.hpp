// Bookkeeping of ART events (SPEC.md §7, §10): merging duplicate saddles with a count, and the
// minima/saddles connectivity of a walk, the data of a disconnectivity graph
// (O. M. Becker & M. Karplus, J. Chem. Phys. 106, 1495 (1997); D. J. Wales, "Energy
// Landscapes", Cambridge 2003). Host code over the events ArtEngine::run returns.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "saddle/art.hpp"

namespace glassland {

// One distinct saddle: the first event that found it and how many successful events did.
struct UniqueSaddle {
  size_t event_index = 0;  // representative (first) event in the input order
  int minimum_id = -1;
  double e_saddle = 0.0, barrier = 0.0;
  int count = 0;
  std::vector<size_t> event_indices;  // every event merged into it
};

// Successful events from the same minimum are the same saddle when their saddle energies differ
// by less than energy_tolerance (eV) and no atom's saddle position differs by more than
// position_tolerance (Å, minimum image in the minimum's box). Events without stored saddle
// positions are compared by energy only. Order of the result: first occurrence.
std::vector<UniqueSaddle> merge_duplicate_saddles(const std::vector<ArtEvent>& events,
                                                  double energy_tolerance,
                                                  double position_tolerance,
                                                  const std::vector<ArtMinimum>* minima = nullptr);

// A walk's graph: nodes are minima (their energies), edges are distinct saddles between two
// minima (lowest saddle energy kept, with how many events crossed it in either direction).
struct ConnectivityEdge {
  int minimum_a = -1, minimum_b = -1;  // minimum_a < minimum_b
  double e_saddle = 0.0;               // eV, the lowest saddle found between them
  int count = 0;
};
struct ConnectivityGraph {
  std::vector<double> minima_energies;
  std::vector<ConnectivityEdge> edges;
};
ConnectivityGraph connectivity_graph(const std::vector<ArtEvent>& events,
                                     const std::vector<ArtConnection>& connections,
                                     const std::vector<ArtMinimum>& minima);

// What a driver adds to events.json beyond the events themselves.
struct EventsJsonOptions {
  // Atom label written for atom index i of an event (centre, participating atoms); empty: the
  // 0-based index itself. task art passes the data files' atom IDs.
  std::function<int(const ArtEvent& event, int index)> atom_label;
  // Per event (same order as result.events), empty when not wanted: how many successful events
  // found this event's saddle (duplicates merged, merge_duplicate_saddles), and the search id
  // of the first of them (the event itself when it is the representative).
  std::vector<int> duplicate_count;
  std::vector<int64_t> duplicate_of;
  // Per event: files written for it (initial, saddle, final), relative to events.json; empty
  // strings: none.
  std::vector<std::array<std::string, 3>> files;
  // Extra top-level members, JSON text without braces ("\"abandoned\":3,\"x\":1"); empty: none.
  std::string extra_members;
};

// events.json text (issue 5's layout): {"events":[{...}], "attempts":…, "successes":…}.
// Every search that ended is one record (failures with "success": false and a "reason");
// "attempts" counts these records, "successes" the successful ones.
std::string events_json(const ArtRunResult& result, const EventsJsonOptions& options = {});

}  // namespace glassland
