// The compiled kernels of the GPT (src/families/transformer/layers.ts, sample.ts, adamw.ts),
// bound to JavaScript in kernels_napi.c; each has a TypeScript twin that tests compare it with.
#ifndef OURO_KERNELS_H
#define OURO_KERNELS_H
#include <stddef.h>
#include <stdint.h>

#include <math.h>

// A loop shared among the addon's threads (OpenMP; setThreads in ouro_blas.c sets how many, one
// by default) when `cond` says it is big enough to pay for the hand-off. Each iteration writes
// only its own outputs, so the bits do not depend on the number of threads.
#define PRAGMA(x) _Pragma(#x)
#define PARALLEL(cond) PRAGMA(omp parallel for schedule(static) if (cond))

// e^x for float32 within 2 ulp on [-87, 88] (x outside is clamped: e^-87 ≈ 1.6e-38 stands for
// anything smaller). e^x = 2^n · e^r, n = round(x / ln 2), r = x − n·ln 2 in two parts
// (Cody & Waite 1980) so |r| ≤ ln 2 / 2, and e^r by its Taylor series to r^7 (the remainder,
// < 0.35^8 / 8! ≈ 6e-9, is below float rounding). Inline and branch-free, so loops over it vectorise.
static inline float exp_fast(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  // Adding 1.5·2^23 rounds to the nearest integer (no floorf: GCC 12 will not vectorise it in place).
  float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  union { int32_t i; float f; } scale = { .i = ((int32_t)n + 127) << 23 };
  return p * scale.f;
}

void k_gelu_forward(float *out, const float *inp, float *th, size_t n);
void k_gelu_backward(float *dinp, const float *inp, const float *th, const float *dout, size_t n);
void k_layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *w, const float *b, size_t N, size_t C);
void k_layernorm_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp, const float *w, const float *mean, const float *rstd, size_t N, size_t C);
void k_bias_backward(float *dbias, const float *dout, size_t N, size_t OC);
void k_attention_step(float *out, const float *qkv, const float *K, const float *V, const int32_t *pos, size_t S, size_t T, size_t C, size_t NH);
void k_attention_forward(float *out, float *att, const float *qkv, size_t B, size_t T, size_t C, size_t NH);
void k_attention_backward(float *dqkv, const float *dout, const float *att, const float *qkv, size_t B, size_t T, size_t C, size_t NH);
void k_cross_entropy_forward(float *logits, const int32_t *targets, size_t N, size_t V, float *losses);
void k_cross_entropy_backward(float *probs, const int32_t *targets, size_t N, size_t V, float scale);
void k_sample_rows(const float *logits, size_t S, size_t V, float inv_t, const double *u, const uint8_t *active, int32_t *token, double *logq);
double k_sum_squares(const float *g, size_t n);
void k_scale(float *g, size_t n, double k);
void k_adamw(float *p, const float *g, float *m, float *v, const uint8_t *decay, size_t n, double lr, double b1, double b2, double eps, double wd, double c1, double c2);

#endif
