// Physical constants in LAMMPS "metal" units (Å, eV, ps, amu, K, bar). SPEC.md §1.
#pragma once

namespace glassland::units {

// Boltzmann constant in eV/K (CODATA 2018, as SPEC.md §1 fixes it).
inline constexpr double kBoltzmann = 8.617333262e-5;
// 1 eV/Å³ in bar. LAMMPS's metal-units value (force->nktv2p = 1.6021765e6, update.cpp) rather
// than CODATA 2018's 1.602176634e6 (8e-8 relative apart), so that pressures printed by glassland
// and by LAMMPS for the same configuration agree to round-off.
inline constexpr double kEvPerA3ToBar = 1.6021765e6;
// 1 bar in GPa.
inline constexpr double kBarToGPa = 1e-4;
// amu·Å²/ps² in eV: converts m·v² to energy
// (1.66053906660e-27 kg · 1e4 m²/s² / 1.602176634e-19 J = 1.036426965e-4 eV).
inline constexpr double kAmuA2Ps2ToEv = 1.66053906660e-27 * 1e4 / 1.602176634e-19;
// LAMMPS's metal-units m·v² → energy factor (force->mvv2e = 1.0364269e-4, update.cpp),
// 6.3e-8 relative below kAmuA2Ps2ToEv. Used where glassland promises LAMMPS's numbers to round-off
// (`glassland eval`'s kinetic pressure); the dynamics keep the CODATA value.
inline constexpr double kLammpsMvv2e = 1.0364269e-4;
// Force (eV/Å) divided by mass (amu) in Å/ps²: the inverse of kAmuA2Ps2ToEv.
inline constexpr double kForceOverMassToAccel = 1.0 / kAmuA2Ps2ToEv;

}  // namespace glassland::units
