#include "analysis/vector_sinc.hpp"

#include <cmath>

#if defined(GLASSLAND_HAVE_SLEEF) && defined(__SSE2__)
#include <emmintrin.h>
#include <sleef.h>
#endif

namespace glassland::analysis {

void sinc_values(const double* x, double* out, std::size_t n) {
  std::size_t k = 0;
#if defined(GLASSLAND_HAVE_SLEEF) && defined(__SSE2__)
  for (; k + 2 <= n; k += 2)
    _mm_storeu_pd(out + k, Sleef_sind2_u10(_mm_loadu_pd(x + k)));
#endif
  for (; k < n; ++k)
    out[k] = std::sin(x[k]);
  for (k = 0; k < n; ++k) {
    if (x[k] < 1e-4) {
      const double x2 = x[k] * x[k];
      out[k] = 1.0 - x2 / 6.0 + x2 * x2 / 120.0;
    } else {
      out[k] /= x[k];
    }
  }
}

}  // namespace glassland::analysis
