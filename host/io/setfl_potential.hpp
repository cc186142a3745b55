// Reader for EAM potentials in the DYNAMO setfl format, in both LAMMPS flavours:
// `eam/alloy` (one density function per element) and `eam/fs` (Finnis–Sinclair: a density
// function per ordered element pair). Format: LAMMPS pair_eam docs; SPEC.md §1.
#pragma once

#include <string>
#include <vector>

namespace glassland {

enum class SetflFormat { Alloy, FinnisSinclair };

struct SetflPotential {
  std::string source_file;
  SetflFormat format = SetflFormat::FinnisSinclair;
  std::vector<std::string> comments;  // the three header lines
  std::vector<std::string> elements;  // in file order
  std::vector<int> atomic_numbers;    // per element
  std::vector<double> masses;         // amu, per element
  int nrho = 0;
  double drho = 0.0;
  int nr = 0;
  double dr = 0.0;
  double cutoff = 0.0;  // Å
  // F_e(ρ) on the ρ grid, [element][k], k = 0..nrho-1 at ρ = k·drho.
  std::vector<std::vector<double>> embedding;
  // Density tables on the r grid (r = k·dr), [table][k]:
  //   alloy: table e is the density that an atom of element e contributes to any neighbour;
  //   fs:    table e·n_elements + f is the block of element e, sub-function f, in file order.
  //          LAMMPS (pair_eam_fs.cpp, type2rhor) uses table elem(j)·n + elem(i) for the
  //          density at atom i contributed by neighbour j.
  std::vector<std::vector<double>> density;
  // r·φ(r) tables for element pairs e ≥ f, [e·(e+1)/2 + f][k].
  std::vector<std::vector<double>> r_times_pair;

  int n_elements() const { return static_cast<int>(elements.size()); }
  // Index of `name` in elements, or -1.
  int element_index(const std::string& name) const;
};

// Reads a setfl file. Throws InputError naming the file and line on any malformed content
// (missing numbers, wrong counts, non-numeric tokens, non-positive grid spacings, fewer than 5
// knots, "UNITS:" other than metal on line 1). Stricter than LAMMPS in two places, so that a
// mismatch between header and tables cannot pass silently: a table may not end in the middle
// of a line with numbers left over, and nothing but comments may follow the last table.
SetflPotential read_setfl(const std::string& path, SetflFormat format);

// eam/fs for names ending in ".fs" or ".eam.fs", eam/alloy for ".alloy"/".setfl"; otherwise
// throws InputError asking the user to say which.
SetflFormat setfl_format_from_filename(const std::string& path);

}  // namespace glassland
