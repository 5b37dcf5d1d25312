// Causal multi-head self-attention, forward and backward, fused per (batch row, head): the
// scores of position t against keys 0..t, their softmax, and the weighted values, without the
// four small GEMM calls per head of the TypeScript path (src/families/transformer/layers.ts,
// attentionForward/attentionBackward), which at 32–128 positions and heads of 32 cost more in
// call overhead than in arithmetic, and compute the masked half of every T×T block too.
// Shapes: qkv (B, T, 3C) with q, k, v side by side; att (B, NH, T, T); out, dout (B, T, C).
// (batch row, head) pairs are shared among the addon's threads; each writes only its own slices.
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "kernels.h"

static float dot(const float *restrict a, const float *restrict b, size_t n) {
  float s = 0;
  for (size_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

// out = softmax(q·kᵀ/√hs, causal)·v per head; att receives the probabilities (0 above the diagonal).
void k_attention_forward(float *out, float *att, const float *qkv, size_t B, size_t T, size_t C, size_t NH) {
  size_t hs = C / NH, C3 = 3 * C;
  float scale = 1.0f / sqrtf((float)hs);
  PARALLEL(B * NH >= 2)
  for (size_t bh = 0; bh < B * NH; bh++) {
    size_t b = bh / NH, h = bh % NH;
    const float *x = qkv + b * T * C3;
    {
      for (size_t t = 0; t < T; t++) {
        float *p = att + ((b * NH + h) * T + t) * T;
        const float *q = x + t * C3 + h * hs;
        float max = -INFINITY;
        for (size_t j = 0; j <= t; j++) {
          p[j] = dot(q, x + j * C3 + C + h * hs, hs) * scale;
          max = p[j] > max ? p[j] : max;
        }
        float sum = 0;
        for (size_t j = 0; j <= t; j++) sum += p[j] = exp_fast(p[j] - max);
        float inv = 1.0f / sum;
        for (size_t j = 0; j <= t; j++) p[j] *= inv;
        for (size_t j = t + 1; j < T; j++) p[j] = 0;
        float *o = out + (b * T + t) * C + h * hs;
        memset(o, 0, hs * sizeof *o);
        for (size_t j = 0; j <= t; j++) {
          const float *v = x + j * C3 + 2 * C + h * hs;
          for (size_t i = 0; i < hs; i++) o[i] += p[j] * v[i];
        }
      }
    }
  }
}

// dqkv (overwritten) = the gradient of attention_forward's out, given dout and its att.
void k_attention_backward(float *dqkv, const float *dout, const float *att, const float *qkv, size_t B, size_t T, size_t C, size_t NH) {
  size_t hs = C / NH, C3 = 3 * C;
  float scale = 1.0f / sqrtf((float)hs);
  memset(dqkv, 0, B * T * C3 * sizeof *dqkv);
  PARALLEL(B * NH >= 2)
  for (size_t bh = 0; bh < B * NH; bh++) {
    size_t b = bh / NH, h = bh % NH;
    const float *x = qkv + b * T * C3;
    float *dx = dqkv + b * T * C3;
    float ds[T];
    {
      for (size_t t = 0; t < T; t++) {
        const float *p = att + ((b * NH + h) * T + t) * T;
        const float *dy = dout + (b * T + t) * C + h * hs;
        // dp_j = dy·v_j and dv_j += p_j·dy; then the softmax's backward ds_j = p_j (dp_j − Σ p·dp).
        float pdp = 0;
        for (size_t j = 0; j <= t; j++) {
          float *dv = dx + j * C3 + 2 * C + h * hs;
          ds[j] = dot(dy, x + j * C3 + 2 * C + h * hs, hs);
          pdp += p[j] * ds[j];
          for (size_t i = 0; i < hs; i++) dv[i] += p[j] * dy[i];
        }
        // scores = q·kᵀ·scale: dq_t += scale Σ_j ds_j k_j, dk_j += scale ds_j q_t.
        const float *q = x + t * C3 + h * hs;
        float *dq = dx + t * C3 + h * hs;
        for (size_t j = 0; j <= t; j++) {
          float d = scale * p[j] * (ds[j] - pdp);
          const float *k = x + j * C3 + C + h * hs;
          float *dk = dx + j * C3 + C + h * hs;
          for (size_t i = 0; i < hs; i++) {
            dq[i] += d * k[i];
            dk[i] += d * q[i];
          }
        }
      }
    }
  }
}
