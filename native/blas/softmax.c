// Softmax work over a vocabulary in C: the training loss (cross-entropy forward and backward)
// and the sampler's draw of one token per slot. Both exponentiate every logit of a row, which
// in TypeScript took a third of a training step and most of a sampling step; exp_fast
// (kernels.h) is a polynomial the compiler vectorises. Each function computes what its TypeScript twin does
// (src/families/transformer/layers.ts, sample.ts), to float rounding (tests compare them).
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "kernels.h"

// w[i] := e^{(w[i] − max)·inv_t} in place; returns Σ w (16 partial sums, so the loop vectorises).
static double exp_row(float *w, size_t V, float max, float inv_t) {
  for (size_t i = 0; i < V; i++) w[i] = exp_fast((w[i] - max) * inv_t);
  float acc[16] = {0};
  size_t i = 0;
  for (; i + 16 <= V; i += 16)
    for (size_t j = 0; j < 16; j++) acc[j] += w[i + j];
  double z = 0;
  for (; i < V; i++) z += w[i];
  for (size_t j = 0; j < 16; j++) z += acc[j];
  return z;
}

// max of l[0..V) (16 running maxima, so the loop vectorises).
static float row_max(const float *l, size_t V) {
  float acc[16];
  for (size_t j = 0; j < 16; j++) acc[j] = -INFINITY;
  size_t i = 0;
  for (; i + 16 <= V; i += 16)
    for (size_t j = 0; j < 16; j++) acc[j] = l[i + j] > acc[j] ? l[i + j] : acc[j];
  float m = -INFINITY;
  for (; i < V; i++) m = l[i] > m ? l[i] : m;
  for (size_t j = 0; j < 16; j++) m = acc[j] > m ? acc[j] : m;
  return m;
}

// Softmax cross-entropy over logits (N, V) in place: each row becomes probabilities, and
// losses[n] = −log p(targets[n]) in nats (0 where targets[n] < 0, a position not counted).
void k_cross_entropy_forward(float *logits, const int32_t *targets, size_t N, size_t V, float *losses) {
  PARALLEL(N * V >= 16384)
  for (size_t n = 0; n < N; n++) {
    float *r = logits + n * V;
    float max = row_max(r, V);
    int32_t y = targets[n];
    float ly = y >= 0 ? r[y] : 0;
    double z = exp_row(r, V, max, 1.0f);
    float inv = (float)(1.0 / z);
    for (size_t i = 0; i < V; i++) r[i] *= inv;
    losses[n] = y < 0 ? 0.0f : (float)(log(z) - ((double)ly - (double)max));
  }
}

// dlogits = (probs − onehot(target))·scale for counted rows, 0 for others, in place.
void k_cross_entropy_backward(float *probs, const int32_t *targets, size_t N, size_t V, float scale) {
  PARALLEL(N * V >= 16384)
  for (size_t n = 0; n < N; n++) {
    float *r = probs + n * V;
    int32_t y = targets[n];
    if (y < 0) {
      memset(r, 0, V * sizeof *r);
      continue;
    }
    for (size_t i = 0; i < V; i++) r[i] *= scale;
    r[y] -= scale;
  }
}

// For each slot s with active[s]: softmax of logits row s at 1/inv_t, one draw by inversion at
// u[s] ∈ [0, 1) (the first token whose cumulative weight exceeds u·Σw; rounding past the end
// gives the last token), token[s] and logq[s] = log of its probability.
void k_sample_rows(const float *logits, size_t S, size_t V, float inv_t, const double *u, const uint8_t *active, int32_t *token, double *logq) {
  PARALLEL(S >= 8)
  for (size_t s = 0; s < S; s++) {
    if (!active[s]) continue;
    float w[V];
    const float *r = logits + s * V;
    memcpy(w, r, V * sizeof *w);
    double z = exp_row(w, V, row_max(r, V), inv_t);
    double target = u[s] * z, acc = 0;
    size_t pick = V - 1;
    for (size_t i = 0; i < V; i++) {
      acc += w[i];
      if (target < acc) {
        pick = i;
        break;
      }
    }
    token[s] = (int32_t)pick;
    logq[s] = log((double)w[pick] / z);
  }
}
