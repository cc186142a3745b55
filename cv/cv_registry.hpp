// The collective-variable registry (ARCHITECTURE.md, "Habits"): every CV is a stateless struct
// in its own file (PLUMED's calculateCV form) with
//   static const char* name();
//   KOKKOS_INLINE_FUNCTION static double evaluate(const Box&, int n, const double* x,
//                                                 const double* reference, double* gradient);
//   KOKKOS_INLINE_FUNCTION static void anchor_reference(const Box&, int n, const double* x,
//                                                       double* reference);
// (x: unwrapped positions of the CV's n atoms, [n][3] flattened; gradient ∂s/∂x, same layout).
// A CV's kind is its index in RegisteredCvs; dispatch on the kind happens here and nowhere else.
//
// Adding a CV: write cv/<name>.hpp with the struct above, include it here and append it to
// RegisteredCvs (append, so existing kind numbers stay valid in checkpoints and results).
#pragma once

#include <string>

#include "cv/cluster_rmsd.hpp"
#include "cv/displacement_x.hpp"
#include "cv/hop_distance.hpp"

namespace glassland {

template <class... Cvs>
struct CvList {};

using RegisteredCvs = CvList<HopDistance, ClusterRmsd, DisplacementX>;

template <class List>
struct CvDispatch;

template <>
struct CvDispatch<CvList<>> {
  static constexpr int count = 0;
  KOKKOS_INLINE_FUNCTION static double evaluate(int, const Box&, int, const double*, const double*,
                                                double*) {
    return 0.0;  // unreachable for kinds validated on the host (cv_kind_from_name, CvSet)
  }
  KOKKOS_INLINE_FUNCTION static void anchor_reference(int, const Box&, int, const double*,
                                                      double*) {}
  static const char* name(int) { return nullptr; }
};

template <class First, class... Rest>
struct CvDispatch<CvList<First, Rest...>> {
  using Tail = CvDispatch<CvList<Rest...>>;
  static constexpr int count = 1 + Tail::count;
  KOKKOS_INLINE_FUNCTION static double evaluate(int kind, const Box& box, int n, const double* x,
                                                const double* reference, double* gradient) {
    if (kind == 0)
      return First::evaluate(box, n, x, reference, gradient);
    return Tail::evaluate(kind - 1, box, n, x, reference, gradient);
  }
  KOKKOS_INLINE_FUNCTION static void anchor_reference(int kind, const Box& box, int n,
                                                      const double* x, double* reference) {
    if (kind == 0)
      First::anchor_reference(box, n, x, reference);
    else
      Tail::anchor_reference(kind - 1, box, n, x, reference);
  }
  static const char* name(int kind) { return kind == 0 ? First::name() : Tail::name(kind - 1); }
};

using CvRegistry = CvDispatch<RegisteredCvs>;

// Kind (index in RegisteredCvs) of the CV type Cv.
template <class Cv, class List = RegisteredCvs>
struct CvKindOf;
template <class Cv, class... Rest>
struct CvKindOf<Cv, CvList<Cv, Rest...>> {
  static constexpr int value = 0;
};
template <class Cv, class First, class... Rest>
struct CvKindOf<Cv, CvList<First, Rest...>> {
  static constexpr int value = 1 + CvKindOf<Cv, CvList<Rest...>>::value;
};
template <class Cv>
inline constexpr int cv_kind = CvKindOf<Cv>::value;

// Name of a kind ("hop_distance", ...); throws std::invalid_argument for an unknown kind.
std::string cv_name(int kind);
// Kind of a CV name; throws std::invalid_argument listing the registered names.
int cv_kind_from_name(const std::string& name);

}  // namespace glassland
