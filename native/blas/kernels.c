// Element-wise kernels of the GPT (src/families/transformer/layers.ts) in C, where the compiler
// vectorises them; each computes what its TypeScript twin computes (tests compare the two).
// Loops over rows or elements are shared among the addon's threads (kernels.h, PARALLEL);
// every sum keeps its order, so any number of threads gives the same bits.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernels.h"

static inline float fast_tanh(float x) {
  const float clamp = 7.90531110763549805f;
  float u = x > clamp ? clamp : (x < -clamp ? -clamp : x);
  float u2 = u * u;
  float p = u * (4.89352455891786e-3f + u2 * (6.37261928875436e-4f + u2 * (1.48572235717979e-5f + u2 * (5.12229709037114e-8f + u2 * (-8.60467152213735e-11f + u2 * (2.00018790482477e-13f + u2 * -2.76076847742355e-16f))))));
  float q = 4.89352518554385e-3f + u2 * (2.268434632439e-3f + u2 * (1.18534705686654e-4f + u2 * 1.19825839466702e-6f));
  return p / q;
}

#define GELU_K 0.7978845608028654f

void k_gelu_forward(float *restrict out, const float *restrict inp, float *restrict th, size_t n) {
  PARALLEL(n >= 4096)
  for (size_t i = 0; i < n; i++) {
    float x = inp[i];
    float t = fast_tanh(GELU_K * (x + 0.044715f * x * x * x));
    th[i] = t;
    out[i] = 0.5f * x * (1.0f + t);
  }
}

void k_gelu_backward(float *dinp, const float *inp, const float *th, const float *dout, size_t n) {
  PARALLEL(n >= 4096)
  for (size_t i = 0; i < n; i++) {
    float x = inp[i], t = th[i];
    float local = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_K * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] = local * dout[i];
  }
}

void k_layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *w, const float *b, size_t N, size_t C) {
  PARALLEL(N * C >= 4096)
  for (size_t n = 0; n < N; n++) {
    const float *x = inp + n * C;
    float *o = out + n * C;
    double m = 0;
    for (size_t i = 0; i < C; i++) m += x[i];
    m /= (double)C;
    double v = 0;
    for (size_t i = 0; i < C; i++) {
      double d = x[i] - m;
      v += d * d;
    }
    float s = (float)(1.0 / sqrt(v / (double)C + 1e-5));
    float mf = (float)m;
    for (size_t i = 0; i < C; i++) o[i] = (x[i] - mf) * s * w[i] + b[i];
    mean[n] = mf;
    rstd[n] = s;
  }
}

// dinp += the row-wise gradient; dw, db += Σ over rows, each column summed in row order.
void k_layernorm_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp, const float *w, const float *mean, const float *rstd, size_t N, size_t C) {
  PARALLEL(N * C >= 4096)
  for (size_t n = 0; n < N; n++) {
    const float *x = inp + n * C, *d = dout + n * C;
    float *di = dinp + n * C;
    float m = mean[n], s = rstd[n];
    float dnm = 0, dnnm = 0;
    for (size_t i = 0; i < C; i++) {
      float norm = (x[i] - m) * s;
      float dn = w[i] * d[i];
      dnm += dn;
      dnnm += dn * norm;
    }
    dnm /= (float)C;
    dnnm /= (float)C;
    for (size_t i = 0; i < C; i++) {
      float norm = (x[i] - m) * s;
      di[i] += (w[i] * d[i] - dnm - norm * dnnm) * s;
    }
  }
  PARALLEL(N * C >= 4096)
  for (size_t i = 0; i < C; i++) {
    for (size_t n = 0; n < N; n++) {
      float d = dout[n * C + i];
      db[i] += d;
      dw[i] += (inp[n * C + i] - mean[n]) * rstd[n] * d;
    }
  }
}

// dbias[j] += Σ_n dout[n, j]
void k_bias_backward(float *dbias, const float *dout, size_t N, size_t OC) {
  PARALLEL(N * OC >= 4096)
  for (size_t j = 0; j < OC; j++)
    for (size_t n = 0; n < N; n++) dbias[j] += dout[n * OC + j];
}

// One decoding step of causal attention over a KV cache: slot s at position pos[s] attends to
// its cached keys and values 0..pos[s]. qkv (S, 3C); K, V (S, T, C); out (S, C).
void k_attention_step(float *out, const float *qkv, const float *K, const float *V, const int32_t *pos, size_t S, size_t T, size_t C, size_t NH) {
  size_t hs = C / NH;
  float scale = 1.0f / sqrtf((float)hs);
  PARALLEL(S >= 8)
  for (size_t s = 0; s < S; s++) {
    float scores[(size_t)pos[s] + 1];
    size_t t = (size_t)pos[s];
    for (size_t h = 0; h < NH; h++) {
      const float *q = qkv + s * 3 * C + h * hs;
      const float *k = K + s * T * C + h * hs;
      const float *v = V + s * T * C + h * hs;
      float *o = out + s * C + h * hs;
      float max = -INFINITY;
      for (size_t j = 0; j <= t; j++) {
        float dot = 0;
        for (size_t i = 0; i < hs; i++) dot += q[i] * k[j * C + i];
        scores[j] = dot * scale;
        max = scores[j] > max ? scores[j] : max;
      }
      float sum = 0;
      for (size_t j = 0; j <= t; j++) sum += scores[j] = expf(scores[j] - max);
      for (size_t i = 0; i < hs; i++) o[i] = 0;
      for (size_t j = 0; j <= t; j++) {
        float w = scores[j] / sum;
        for (size_t i = 0; i < hs; i++) o[i] += w * v[j * C + i];
      }
    }
  }
}
