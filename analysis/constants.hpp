// Physical constants and unit conversions used by the barrier statistics (SPEC.md §1, §6).
// Units follow LAMMPS `metal`: eV, Å, K; pressures in GPa where users expect them.
#pragma once

namespace glassland::analysis {

// Mathematical constants (M_PI and M_SQRT2 are POSIX, not standard C++).
inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kSqrt2 = 1.41421356237309504880;

// Boltzmann constant in eV/K (CODATA 2018, exact since the 2019 SI redefinition).
inline constexpr double kBoltzmann_eV_per_K = 8.617333262e-5;

// 1 eV/GPa expressed as a volume: 1.602176634e-19 J / 1e9 Pa = 1.602176634e-28 m³ = 160.2176634 Å³.
// An activation volume V = ∂ΔG/∂P fitted in eV/GPa times this factor is V in Å³.
inline constexpr double kAngstrom3_per_eV_per_GPa = 160.2176634;

// 1 Å = 1e-10 m; diffusivities are reported in SI (m²/s) from lengths given in Å.
inline constexpr double kMetre_per_Angstrom = 1e-10;

}  // namespace glassland::analysis
