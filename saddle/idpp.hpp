// Image-dependent pair potential (IDPP) initial paths for NEB.
//
// Method: S. Smidstrup, A. Pedersen, K. Stokbro & H. Jónsson, "Improved initial guess for
// minimum energy path calculations", J. Chem. Phys. 140, 214106 (2014), Eqs. 1–3:
//   S_k(R) = Σ_{i<j} w(d_ij) (d^k_ij − d_ij)²,  w(d) = 1/d⁴,
//   d^k_ij = d^0_ij + k/(M−1) (d^{M−1}_ij − d^0_ij),
// with all distances taken by minimum image. The path is the NEB minimum-energy path on S
// (springs and improved tangents as for the real band), started from the linear interpolation.
// Interpolated pair distances keep atoms from passing through each other, which a straight
// Cartesian line does for exchange-like events.
#pragma once

#include <string>

#include "kernels/force_field.hpp"
#include "saddle/neb_band.hpp"

namespace glassland {

// S_k as a force term: image k of each band of M images is pulled towards the interpolated
// pair distances of its band's endpoints (images 0 and M−1, read from the batch itself).
// All pairs, O(N²) per image: fine for the few thousand atoms of a replica.
class IdppTerm : public ForceTerm {
 public:
  explicit IdppTerm(int n_images) : n_images_(n_images) {}
  std::string name() const override { return "idpp"; }
  void accumulate(Batch& batch, const EvalRequest& request) override;

 private:
  int n_images_;
  AtomScalars scratch_energy_;  // this term's per-atom energy, summed per replica
};

// Pair term w(d)(t − d)² and its derivative with respect to d (Smidstrup et al. Eq. 2).
KOKKOS_INLINE_FUNCTION double idpp_pair(double target, double distance, double& d_by_distance) {
  const double inv2 = 1.0 / (distance * distance);
  const double weight = inv2 * inv2;
  const double gap = target - distance;
  // d/dd [d⁻⁴ (t − d)²] = −4 d⁻⁵ (t − d)² − 2 d⁻⁴ (t − d)
  d_by_distance = -4.0 * weight * gap * gap / distance - 2.0 * weight * gap;
  return weight * gap * gap;
}

struct IdppSettings {
  double force_tolerance = 0.1;  // on S (arbitrary units per Å), as ASE's idpp_interpolate fmax
  int max_iterations = 500;
  double spring_constant = 1.0;
};

// Linear interpolation, then the NEB minimum of S for every band of the batch (no climbing).
// The batch's own force field is not used; positions of the intermediate images are replaced.
std::vector<BandResult> interpolate_idpp(Batch& batch, int n_images,
                                         const IdppSettings& settings = {});

}  // namespace glassland
