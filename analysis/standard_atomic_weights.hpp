// Standard atomic weights (IUPAC Commission on Isotopic Abundances and Atomic Weights, abridged
// conventional values, Pure Appl. Chem. 88, 265 (2016)) of the elements of metallic glasses and
// their common additions, in amu. The trajectory analyses use them only to weight the centre of
// mass whose drift is removed, when a file names its elements but carries no masses; Cu 63.546 and
// Zr 91.224 are the masses of Mendelev's CuZr_mm.eam.fs, so the drift is the one the MD conserved.
#pragma once

#include <optional>
#include <string>

namespace glassland::analysis {

// The weight of an element symbol ("Cu"), or nothing for a name not in the table.
std::optional<double> standard_atomic_weight(const std::string& element);

}  // namespace glassland::analysis
