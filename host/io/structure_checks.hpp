// Sanity checks of structures as they are loaded (issue 16 item 4): inputs that would run and
// give nonsense instead of an error.
//  * Overlapping atoms: two atoms closer than a minimum distance (default 1 Å; the closest
//    Cu–Cu, Cu–Zr and Zr–Zr pairs of the CuZr potential's liquids and glasses sit near 2.2 Å)
//    make the EAM forces and energies enormous or NaN. The check finds the closest pair by
//    minimum image with a cell list, O(N).
//  * More element names than atom types: LAMMPS's `pair_coeff * * FILE El…` takes exactly one
//    element per type; an extra name is a mistake about the file, not something to ignore.
#pragma once

#include <string>
#include <vector>

#include "host/io/lammps_data.hpp"

namespace glassland {

// The smallest minimum distance a structure is checked against unless the input says otherwise.
inline constexpr double kDefaultMinAtomDistance = 1.0;  // Å

struct ClosestPair {
  int id_a = -1, id_b = -1;  // atom IDs of the file, id_a < id_b; −1 when there is no pair
  double distance = 0.0;     // Å, by minimum image
};

// The closest pair of atoms among those closer than `cutoff` (Å), by minimum image in the
// file's (possibly triclinic) periodic box; id_a = −1 when no pair is that close. An atom closer
// than `cutoff` to its own periodic image (a box thinner than the cutoff) is reported as a pair
// of itself.
ClosestPair closest_pair_within(const LammpsData& data, double cutoff);

// Throws InputError naming `file`, the two atom IDs and their distance when two atoms are
// closer than `min_distance` (Å; 0 turns the check off). `override_hint` says how to change
// the threshold, e.g. "system.min_atom_distance" or "--min-atom-distance".
void check_atom_overlaps(const LammpsData& data, const std::string& file, double min_distance,
                         const std::string& override_hint);

// Throws InputError naming `file` when `type_elements` names more elements than the file has
// atom types (fewer is make_batch's error). `given_as` says where the names came from.
void check_one_element_per_type(const LammpsData& data, const std::string& file,
                                const std::vector<std::string>& type_elements,
                                const std::string& given_as);

}  // namespace glassland
