// AdamW and gradient clipping in C, in double precision and in the same order as their
// TypeScript twins (src/families/transformer/adamw.ts), so they give the same bits.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "kernels.h"

// Σ g² in order (not vectorised: a reordered sum would differ from TypeScript's in its last bits).
double k_sum_squares(const float *g, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)g[i] * (double)g[i];
  return s;
}

void k_scale(float *g, size_t n, double k) {
  PARALLEL(n >= 65536)
  for (size_t i = 0; i < n; i++) g[i] = (float)((double)g[i] * k);
}

// One AdamW update (Loshchilov & Hutter 2019); c1, c2 are the bias corrections 1/(1 − β^t).
void k_adamw(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, const uint8_t *restrict decay, size_t n,
             double lr, double b1, double b2, double eps, double wd, double c1, double c2) {
  PARALLEL(n >= 65536)
  for (size_t i = 0; i < n; i++) {
    double gi = g[i];
    double mi = b1 * m[i] + (1 - b1) * gi;
    double vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    double pi = p[i];
    p[i] = (float)(pi - lr * ((mi * c1) / (sqrt(vi * c2) + eps) + (decay[i] ? wd * pi : 0)));
  }
}
