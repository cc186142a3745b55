// The shear response of `task: neb` as records (paper 003; docs/neb.md "Shear response"): per
// strain the barrier spectrum of the bands that keep their single hump, its peak (the mode of a
// kernel density estimate, with a bootstrap error) and the peak's shift from the unstrained
// spectrum; per band its barriers, humps and shear stresses.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/neb/neb_settings.hpp"
#include "saddle/neb_shear.hpp"

namespace glassland {

// σ_xy = −W_xy / V in GPa: dE/dγ = −W_xy for the affine shear x ← x + γ y, so σ_xy is the
// energy per volume per unit strain (the shear stress the box exerts, LAMMPS's −pxy at 0 K).
double shear_stress_gpa(double virial_xy, double volume);

// Over all bands, per strain: the barrier spectrum of the bands that are not lost at that
// strain nor in the unstrained reference, its peak shift from the reference spectrum of the
// same bands (paired bootstrap over bands for the error), the lost-band count, and the mean
// shear stress of the strained initial states.
nlohmann::json shear_summary_record(const ShearResponse& r, const ShearTaskSettings& s);

// Band b's shear record: barriers, humps, lost flags and shear stresses at every strain.
nlohmann::json band_shear_record(const ShearResponse& r, int b);

}  // namespace glassland
