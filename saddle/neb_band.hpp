// Climbing-image nudged elastic bands as replica batches (SPEC.md §8).
//
// Methods: improved tangent and springs, G. Henkelman & H. Jónsson, J. Chem. Phys. 113, 9978
// (2000); climbing image and energy-weighted springs, G. Henkelman, B. P. Uberuaga &
// H. Jónsson, J. Chem. Phys. 113, 9901 (2000) (device physics in saddle/neb_forces.hpp).
// Optimiser: FIRE 2.0 (Guénolé et al., Comput. Mater. Sci. 175, 109584 (2020)) on the whole
// band: the power P = F·v, |v| and |F| are sums over all intermediate images of a band, so the
// band moves as one 3N(M−2)-dimensional vector, as LAMMPS `neb` with min_style fire and eOn do.
// The steps are kernels/fire_stepper.hpp's (the FIRE minimiser's too), each band one system that
// follows the NEB forces it is given, with the band's rules: no half step back, the velocity
// updated with the full Δt and then the band's displacement scaled to dmax.
//
// Layout: B bands of M images in one Batch of R = B·M replicas; replica r = band·M + image.
// Images 0 and M−1 are the fixed endpoints. Every band has its own FIRE state, climbing switch,
// iteration counter and stopping rule; a finished band is masked (ForceField active mask) and
// costs nothing while the others continue. Displacements between neighbouring images are taken
// per atom by minimum image, because the neighbour list wraps positions into the box.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels/batch.hpp"
#include "kernels/fire_minimizer.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

struct NebSettings {
  double spring_constant = 1.0;  // eV/Å² (LAMMPS `fix neb` Kspring); k_max when energy-weighted
  bool energy_weighted_springs = false;
  double spring_constant_min = 0.1;  // eV/Å², k_min of the energy-weighted springs
  bool climbing = true;
  // Climbing switches on per band after this many plain-NEB iterations (LAMMPS N1) or as soon as
  // the band's largest NEB atomic force falls below climb_force_threshold (eOn's ci_after),
  // whichever comes first. A band is never converged before its climbing image is on. The
  // threshold is low on purpose: climbing on a band that has not relaxed (0.5 eV/Å before issue
  // 16) ran away on shared/cases/neb_climbing_divergence; LAMMPS climbs only once its plain
  // band has converged to ftol.
  int climb_after_iterations = 1000;
  double climb_force_threshold = 0.005;  // eV/Å
  // Converged when the largest perpendicular atomic force (true force minus its part along the
  // tangent) on every intermediate image, and the full climbing force on the climbing image,
  // is below this.
  double force_tolerance = 0.01;  // eV/Å
  int max_iterations = 10000;     // per band; reaching it is reported as not converged
  int host_check_interval = 10;   // iterations between host checks of "any band running"
  // FIRE 2.0 on the band (no half step back: the band force changes with the tangent anyway).
  double dt_initial = 0.001;  // ps
  double dt_max = 0.01;       // ps
  double dt_min = 0.00002;    // ps
  int delay_steps = 20;
  double dt_grow = 1.1;
  double dt_shrink = 0.5;
  double alpha_start = 0.25;
  double alpha_shrink = 0.99;
  double max_displacement = 0.1;  // Å per Cartesian component per step, over the whole band
  // How dmax limits a step. true: LAMMPS min_fire's rule, Δt shortened for velocity and
  // positions together, with the half step back when P ≤ 0 (what `task: neb` uses: with the
  // other rule the climbing band of shared/cases/neb_climbing_divergence ran away). false: the
  // band's displacement scaled to dmax while the velocity grows with the full Δt, no half step
  // back (the rule before issue 16; the Müller–Brown tests' stiff landscape, curvatures up to
  // 1000 eV/Å², needs it: with LAMMPS's rule, which measures the speed before the velocity
  // update, a step there can exceed dmax many times over and the band left the landscape).
  bool lammps_step_rule = false;
  // The band's damped dynamics: FIRE 2.0 (the parameters above) or LAMMPS's quickmin with the
  // fixed time step quickmin_timestep (kernels/fire_stepper.hpp).
  FireMethod optimizer = FireMethod::fire2;
  double quickmin_timestep = 0.002;  // ps
};

enum class NebStatus : int {
  running = 0,
  converged = 1,
  max_iterations = 2,
  non_finite_energy = 3,  // an image's energy or force is NaN/Inf: the band stopped there
  not_participating = 4,  // masked out by the caller
};
std::string to_string(NebStatus status);

// One band's outcome, on the host.
struct BandResult {
  NebStatus status = NebStatus::running;
  bool converged() const { return status == NebStatus::converged; }
  int iterations = 0;
  int evaluations = 0;           // force evaluations of this band's images (each image counted)
  int climbing_image = -1;       // image index in [1, M−2], −1 when climbing was never on
  double max_force = 0.0;        // eV/Å, the convergence measure at the final positions
  std::vector<double> energies;  // eV, per image
  std::vector<double> tangential_force;  // eV/Å, F·τ̂ of the true force per image (= −dE/ds)
  std::vector<double> segment_lengths;   // Å, |R_{k+1} − R_k| in 3N space, M−1 values
  std::vector<double> reaction_coordinate;  // Å, cumulative segment length, M values
  double contour_length = 0.0;              // Å, Σ|R_{k+1} − R_k|
  double end_to_end = 0.0;                  // Å, |R_{M−1} − R_0|
  double barrier_forward = 0.0;             // eV, max image energy − E_0
  double barrier_backward = 0.0;            // eV, max image energy − E_{M−1}
  int highest_image = 0;                    // image with the largest energy
};

// A batch of B bands of n_images images from a batch of 2B endpoint replicas (replica 2b: the
// initial state of band b, 2b + 1: its final state; e.g. make_batch of a list of endpoint
// pairs). Images 0..M−2 of band b copy the initial state, image M−1 the final state: positions,
// periodic images, elements, ids and box; velocities zero. Call interpolate_linear or
// interpolate_idpp next. Both endpoints of a band must have the same box.
Batch make_bands_from_endpoints(const Batch& endpoints, int n_images);

// Fills the intermediate images of every band by linear interpolation between its endpoints,
// atom by atom along the minimum-image displacement R_{M−1} − R_0 (images counted as
// unwrapped: batch.images of the intermediate images are set to those of image 0).
void interpolate_linear(Batch& batch, int n_images);

// Minimises the endpoints (images 0 and M−1 of every band) with the batched FIRE minimiser,
// leaving the intermediate images untouched. Returns the per-replica outcome (R entries; the
// intermediate images read not_participating).
std::vector<ReplicaMinimization> minimize_band_endpoints(Batch& batch, ForceField& force_field,
                                                         int n_images,
                                                         const FireSettings& settings);

// A band where the host meets the device (progress lines, the maximum-force history): a few
// numbers per band, copied at the existing "any band running" check.
struct BandProgress {
  bool running = false;
  int iterations = 0;
  double max_force = 0.0;              // eV/Å, the convergence measure (NaN before the first)
  double highest_above_initial = 0.0;  // eV, highest image energy minus image 0's
};

// Everything a NebRunner holds between iterations (FIRE velocities, Δt, α and counters per
// band, climbing switches and images, statuses, NEB forces, per-image sums), copied to the host
// by name: what a checkpoint stores so that a restarted run continues bitwise. The batch's
// positions, images, boxes, forces and energies are saved by the caller.
struct NebRunnerState {
  int n_images = 0;
  int n_bands = 0;
  std::vector<std::pair<std::string, std::vector<double>>> doubles;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> integers;
};

class NebRunner {
 public:
  explicit NebRunner(const NebSettings& settings = {});

  // Runs every band of the batch (n_images per band; batch.n_replicas must be a multiple) to
  // convergence or its cap. `participate` (length B, optional): bands with 0 are left alone.
  // Positions hold the final bands; batch.forces hold the true forces of every image.
  std::vector<BandResult> run(Batch& batch, ForceField& force_field, int n_images,
                              const std::vector<int>& participate = {});

  // Step-wise use: start() evaluates every image and the NEB forces; advance() runs up to
  // n_iterations lock-step iterations and returns how many bands are still running; results()
  // copies the per-band outcome to the host.
  void start(Batch& batch, ForceField& force_field, int n_images,
             const std::vector<int>& participate = {});
  int advance(Batch& batch, ForceField& force_field, int n_iterations);
  std::vector<BandResult> results(const Batch& batch) const;
  std::vector<BandProgress> progress(const Batch& batch) const;

  // Checkpoint and restart: state() copies every array of the runner to the host; restore()
  // replaces start() when continuing, given the batch as it was saved (positions, images,
  // boxes, true forces and energies); advance() then repeats the saved run's iterations
  // bitwise, provided the force field starts afresh at the checkpoint in both runs
  // (ForceField::reset). restore() throws std::invalid_argument when the state does not fit.
  NebRunnerState state() const;
  void restore(const Batch& batch, int n_images, const NebRunnerState& state);

  const NebSettings& settings() const { return settings_; }
  // NEB force (projected true force + springs) of every image; zero on the endpoints.
  const AtomVectors& neb_forces() const { return neb_forces_; }

  // One lock-step iteration of all running bands, and the NEB forces with the stopping rule
  // from batch.forces, in its four launches. Public only because nvcc does not allow extended
  // device lambdas in private member functions; use start()/advance().
  void iterate(Batch& batch, ForceField& force_field);
  void neb_forces_and_convergence(const Batch& batch);
  void measure_image_dots(const Batch& batch);
  void select_climbing_images(const Batch& batch);
  void project_forces(const Batch& batch);
  void check_bands(const Batch& batch);

 private:
  void allocate(const Batch& batch, int n_images);
  // Calls visit(name, view) for every device array of the runner that carries from one iteration
  // to the next (state() and restore()).
  template <class Visitor>
  void visit_arrays(Visitor&& visit);

  NebSettings settings_;
  int n_images_ = 0;
  int n_bands_ = 0;
  AtomVectors neb_forces_;
  FireStepper fire_;  // one system per band: its intermediate images
  // Per image (length R).
  ReplicaInts moving_;  // 1 for intermediate images of running bands: the ForceField mask
  ReplicaInts evaluate_all_;
  Kokkos::View<double* [5], MemSpace> image_dots_;  // ImageDots of each image
  ReplicaScalars image_force_along_tangent_;        // F·τ̂
  ReplicaScalars image_max_force_squared_;          // convergence measure², eV²/Å²
  // Per band (length B).
  ReplicaInts status_, iterations_, evaluations_, running_, climbing_on_, climbing_image_,
      climb_started_;
  ReplicaScalars band_max_force_squared_, band_max_energy_;
};

}  // namespace glassland
