// Well-tempered metadynamics bias on a per-replica 1D grid (SPEC.md §5).
//
// Sources: A. Barducci, G. Bussi & M. Parrinello, PRL 100, 020603 (2008) (well-tempered
// heights w = w0 exp(−V(s)/k_B ΔT), F(s) = −((T + ΔT)/ΔT) V(s) + C); the grid with stored
// derivatives and cubic Hermite interpolation as in PLUMED's Grid (src/tools/Grid.cpp,
// getValueAndDerivatives with "spline"); the paper-000 defaults (Wang et al., Acta Mater. 2018:
// PACE 1000 steps of 2 fs, σ = 0.35 Å, w0 = 0.02 eV, T + ΔT = 3000 K).
//
// Grid: replica r's bias V_r and dV_r/ds are tabulated at s_k = lower + k·spacing,
// k = 0 … points−1. A hill is added to every grid point analytically (value and derivative,
// untruncated), so the grid equals the direct sum of Gaussians at the knots to round-off, and
// between knots the cubic Hermite interpolant (C¹, O(h⁴) accurate) is used. The bias force is
// the exact derivative of the interpolant: −(dV/ds)(∂s/∂x).
//
// Leaving the grid (the rule is "error", as PLUMED without GRID_WEXTEND): when replica r's CV is
// outside [lower, upper] at a force evaluation, its bias energy and force are zero for that
// evaluation and a per-replica flag records the first offending value; the next deposit() (or
// an explicit check_grid()) throws std::runtime_error naming the replica, the value and the
// grid, before anything is deposited — unless the driver has made that replica inactive
// (replicas_outside_grid() tells it which; task metad stops such a tracer and keeps the rest).
// Checking at the deposition meeting point avoids a device→host copy per step (ARCHITECTURE.md).
//
// Energy bookkeeping: the bias energy V_r(s) is added to batch.potential_energy(r) (and to the
// per-atom energy of the CV's first atom, so Σ per-atom = per-replica still holds) whenever the
// force field is asked for energies, so that energy-conservation checks of the biased dynamics
// (H = K + U + V) include it. The bias adds no virial: the hop-distance bias is an external
// force (it ties the tracer to a fixed reference point) and metadynamics samples NVT (paper 000,
// SPEC.md §5), so a barostat must not be coupled to it.
//
// Usage (driver):
//   MetadynamicsBias bias(CvSet(defs), {settings}, temperatures);   // one setting or one per r
//   bias.cvs().anchor_references(batch);
//   force_field.add_term(bias.make_force_term());                   // shares device views
//   ... each MD step; if (bias.deposition_due(step)) bias.deposit(batch, step, step * dt);
//   bias.hills(), bias.bias_on_grid(), bias.grid_coordinates(r)      // host, at any time
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cv/cv_set.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

struct MetadynamicsSettings {
  int64_t pace = 1000;               // MD steps between depositions (the same for every replica)
  double sigma = 0.35;               // Gaussian width, Å (CV units)
  double initial_height = 0.02;      // w0, eV
  double bias_temperature = 3000.0;  // T + ΔT, K (must exceed the replica's temperature)
  double grid_lower = 0.0;           // Å
  double grid_upper = 10.0;          // Å
  double grid_spacing = 0.01;        // Å
  // Take the CV in the replica's centre-of-mass frame: the bias force's sum over the replica
  // is removed, each atom taking back its mass share, so the bias conserves momentum. For
  // periodic atomistic systems, whose own forces conserve momentum: a hop distance from a fixed
  // point would otherwise push the whole replica (task metad turns it on). Off for a particle
  // in an external landscape (the analytic models), where the CV is the particle's position.
  bool centre_of_mass_frame = false;
};

// One deposited Gaussian (a line of PLUMED's HILLS file).
struct Hill {
  int64_t step = 0;
  double time = 0.0;         // ps
  double center = 0.0;       // CV value
  double sigma = 0.0;        // CV units
  double height = 0.0;       // eV, the well-tempered height actually added to the bias
  double bias_factor = 0.0;  // γ = (T + ΔT)/T
};

// Per-replica grid rows [r][k].
using BiasGridValues = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;

// Device views of the bias; copy into a kernel by value.
struct BiasGridData {
  ReplicaScalars lower;              // [r] Å
  ReplicaScalars spacing;            // [r] Å
  ReplicaInts points;                // [r] knots in use (≤ value.extent(1))
  BiasGridValues value;              // [r][k] V, eV
  BiasGridValues derivative;         // [r][k] dV/ds, eV/Å
  ReplicaScalars sigma;              // [r] Å
  ReplicaScalars initial_height;     // [r] w0, eV
  ReplicaScalars delta_kt;           // [r] k_B ΔT, eV
  ReplicaInts centre_of_mass_frame;  // [r] 1: remove the net bias force (mass-weighted)
  ReplicaScalars energy;             // [r] V(s) at the last force evaluation
  ReplicaInts out_of_grid;           // [r] 1 once the CV was seen outside the grid
  ReplicaScalars out_of_grid_value;  // [r] the first such CV value
  ReplicaScalars hill_center;        // [r] scratch of deposit()
  ReplicaScalars hill_height;        // [r] scratch of deposit()
  ReplicaInts hill_deposit;          // [r] scratch of deposit(): 1 = deposit a hill
};

// Cubic Hermite interpolation of a grid row with stored derivatives. Returns false (v = dvds = 0)
// when s lies outside [lower, lower + (points−1)·spacing].
KOKKOS_INLINE_FUNCTION bool interpolate_bias(double lower, double spacing, int points,
                                             const double* value, const double* derivative,
                                             double s, double& v, double& dvds) {
  v = 0.0;
  dvds = 0.0;
  const double u = (s - lower) / spacing;
  if (!(u >= 0.0 && u <= points - 1))  // also rejects NaN
    return false;
  int i = static_cast<int>(kmath::floor(u));
  if (i > points - 2)
    i = points - 2;  // s on the last knot: use the last cell with t = 1
  const double t = u - i;
  const double t2 = t * t, t3 = t2 * t;
  const double h00 = 2.0 * t3 - 3.0 * t2 + 1.0, h10 = t3 - 2.0 * t2 + t;
  const double h01 = -2.0 * t3 + 3.0 * t2, h11 = t3 - t2;
  const double d00 = 6.0 * t2 - 6.0 * t, d10 = 3.0 * t2 - 4.0 * t + 1.0;
  const double d01 = -6.0 * t2 + 6.0 * t, d11 = 3.0 * t2 - 2.0 * t;
  v = h00 * value[i] + h10 * spacing * derivative[i] + h01 * value[i + 1] +
      h11 * spacing * derivative[i + 1];
  dvds = (d00 * value[i] + d01 * value[i + 1]) / spacing + d10 * derivative[i] +
         d11 * derivative[i + 1];
  return true;
}

// A Gaussian hill h exp(−(s − c)²/2σ²) at s; its derivative d/ds into `derivative`.
KOKKOS_INLINE_FUNCTION double gaussian_hill(double height, double center, double sigma, double s,
                                            double& derivative) {
  const double d = s - center;
  const double value = height * kmath::exp(-0.5 * d * d / (sigma * sigma));
  derivative = -value * d / (sigma * sigma);
  return value;
}

// Well-tempered height w0 exp(−V/k_B ΔT).
KOKKOS_INLINE_FUNCTION double well_tempered_height(double initial_height, double bias,
                                                   double delta_kt) {
  return initial_height * kmath::exp(-bias / delta_kt);
}

class MetadynamicsBias {
 public:
  // `settings` and `temperatures` (K): one entry for every replica, or one entry for all.
  // Throws std::invalid_argument on inconsistent input (sizes, T + ΔT ≤ T, empty grid, pace).
  MetadynamicsBias(CvSet cvs, const std::vector<MetadynamicsSettings>& settings,
                   const std::vector<double>& temperatures);

  int n_replicas() const { return n_replicas_; }
  int64_t pace() const { return pace_; }
  CvSet& cvs() { return cvs_; }
  const CvSet& cvs() const { return cvs_; }
  const BiasGridData& grid() const { return grid_; }
  const std::vector<MetadynamicsSettings>& settings() const { return settings_; }
  const std::vector<double>& temperatures() const { return temperatures_; }

  // A force term that adds −(dV/ds)(∂s/∂x) and V to the batch; it shares this bias's device
  // views, so depositions are seen by it immediately. Add it to the ForceField.
  std::unique_ptr<ForceTerm> make_force_term() const;

  // True every `pace` steps (step > 0).
  bool deposition_due(int64_t step) const { return step > 0 && step % pace_ == 0; }

  // Evaluates every active replica's CV at the batch's configuration and adds a well-tempered
  // hill there (two launches: heights, then grid), and appends the hills to the host history.
  // Throws std::runtime_error (nothing deposited) if a replica's CV is or was outside its grid.
  void deposit(const Batch& batch, int64_t step, double time_ps, const ReplicaInts& active = {});

  // Throws std::runtime_error if any replica's CV was seen outside its grid (only the active
  // replicas' when `active` is given: a driver that has frozen a replica for leaving its grid
  // goes on with the others).
  void check_grid(const ReplicaInts& active = {}) const;

  // The replicas whose CV was seen outside their grid, with the first such value (one host copy;
  // call it at the deposition meeting point).
  std::vector<std::pair<int, double>> replicas_outside_grid() const;

  // Hills deposited so far, per replica, in order (PLUMED's HILLS).
  const std::vector<std::vector<Hill>>& hills() const { return hills_; }

  // Rebuilds every grid from a hills history (e.g. after restoring a checkpoint) and replaces
  // the history with it.
  void restore_hills(const std::vector<std::vector<Hill>>& hills);

  // Restores a checkpointed state exactly: the hills history and the grid rows as they were
  // (V and dV/ds per replica, bias_on_grid()/bias_derivative_on_grid() of the saved run). Unlike
  // restore_hills, the grid is not re-summed, so it is bitwise the saved one even where the
  // device's deposit kernel rounds differently from the host (fused multiply-add on GPUs).
  void restore_state(const std::vector<std::vector<Hill>>& hills,
                     const std::vector<std::vector<double>>& values,
                     const std::vector<std::vector<double>>& derivatives);

  // Grid knots s_k of replica r; host copies of V and dV/ds at the knots, per replica.
  std::vector<double> grid_coordinates(int replica) const;
  std::vector<std::vector<double>> bias_on_grid() const;
  std::vector<std::vector<double>> bias_derivative_on_grid() const;
  // V(s) of each replica at its last force evaluation (host copy).
  std::vector<double> bias_energies() const;

 private:
  int n_replicas_ = 0;
  int64_t pace_ = 0;
  int max_points_ = 0;
  CvSet cvs_;
  std::vector<MetadynamicsSettings> settings_;  // one per replica
  std::vector<double> temperatures_;            // one per replica
  std::vector<int> points_;                     // one per replica
  BiasGridData grid_;
  std::vector<std::vector<Hill>> hills_;
};

class MetadynamicsBiasTerm : public ForceTerm {
 public:
  MetadynamicsBiasTerm(const CvData& cv, const BiasGridData& grid) : cv_(cv), grid_(grid) {}
  std::string name() const override { return "metadynamics_bias"; }
  void accumulate(Batch& batch, const EvalRequest& request) override;

 private:
  CvData cv_;
  BiasGridData grid_;
};

// Writes hills in PLUMED's HILLS format for a 1D well-tempered run:
//   #! FIELDS time <cv> sigma_<cv> height biasf
// PLUMED stores well-tempered heights rescaled by γ/(γ − 1) (MetaD.cpp, writeGaussian), so that
// `plumed sum_hills` returns −F directly; this writer does the same, so PLUMED's tools read our
// files. Hill::height itself is the bias actually added.
void write_plumed_hills(std::ostream& out, const std::vector<Hill>& hills,
                        const std::string& cv_label = "cv");

}  // namespace glassland
