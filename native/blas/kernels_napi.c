// N-API bindings of kernels.c. Every array is a Float32Array; every extent is checked against
// its array's length before a kernel runs.
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>

#include "kernels.h"

#define MAXARGS 14

typedef struct {
  napi_env env;
  napi_value argv[MAXARGS];
  size_t argc;
  int failed;
} Args;

static int args_of(napi_env env, napi_callback_info info, Args *a, size_t want) {
  a->env = env;
  a->argc = MAXARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc != want) {
    napi_throw_type_error(env, NULL, "kernel: wrong number of arguments");
    return 0;
  }
  return 1;
}

static int64_t num(Args *a, size_t i) {
  int64_t v = 0;
  if (a->failed) return 0;
  if (napi_get_value_int64(a->env, a->argv[i], &v) != napi_ok || v < 0) a->failed = 1;
  return v;
}

static double real(Args *a, size_t i) {
  double v = 0;
  if (a->failed) return 0;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) a->failed = 1;
  return v;
}

// The Float32Array at argument i, from element `off`, which must hold `count` elements.
static float *f32(Args *a, size_t i, int64_t off, int64_t count) {
  if (a->failed) return NULL;
  bool is_ta = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(a->env, a->argv[i], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(a->env, a->argv[i], &type, &len, &data, NULL, NULL) != napi_ok || type != napi_float32_array ||
      off < 0 || count < 0 || (uint64_t)(off + count) > (uint64_t)len) {
    a->failed = 1;
    return NULL;
  }
  return (float *)data + off;
}

// The typed array of `type` at argument i, which must hold `count` elements.
static void *typed(Args *a, size_t i, napi_typedarray_type want, int64_t count) {
  if (a->failed) return NULL;
  bool is_ta = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(a->env, a->argv[i], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(a->env, a->argv[i], &type, &len, &data, NULL, NULL) != napi_ok || type != want || count < 0 || (uint64_t)count > (uint64_t)len) {
    a->failed = 1;
    return NULL;
  }
  return data;
}

// Targets: an Int32Array of `count` elements, each < below (negative = not counted).
static int32_t *targets(Args *a, size_t i, int64_t count, int64_t below) {
  int32_t *p = typed(a, i, napi_int32_array, count);
  if (p) for (int64_t j = 0; j < count; j++) if (p[j] >= below) a->failed = 1;
  return p;
}

// The Int32Array at argument i, which must hold `count` elements, each in [0, below).
static int32_t *i32(Args *a, size_t i, int64_t count, int64_t below) {
  if (a->failed) return NULL;
  bool is_ta = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(a->env, a->argv[i], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(a->env, a->argv[i], &type, &len, &data, NULL, NULL) != napi_ok || type != napi_int32_array || count < 0 || (uint64_t)count > (uint64_t)len) {
    a->failed = 1;
    return NULL;
  }
  int32_t *p = (int32_t *)data;
  for (int64_t j = 0; j < count; j++) if (p[j] < 0 || p[j] >= below) a->failed = 1;
  return p;
}

static napi_value done(Args *a) {
  if (a->failed) napi_throw_range_error(a->env, NULL, "kernel: an argument is not a Float32Array large enough, or not a non-negative integer");
  return NULL;
}

static napi_value gelu_forward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 4)) return NULL;
  int64_t n = num(&a, 3);
  float *out = f32(&a, 0, 0, n), *inp = f32(&a, 1, 0, n), *th = f32(&a, 2, 0, n);
  if (!a.failed) k_gelu_forward(out, inp, th, (size_t)n);
  return done(&a);
}

static napi_value gelu_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t n = num(&a, 4);
  float *dinp = f32(&a, 0, 0, n), *inp = f32(&a, 1, 0, n), *th = f32(&a, 2, 0, n), *dout = f32(&a, 3, 0, n);
  if (!a.failed) k_gelu_backward(dinp, inp, th, dout, (size_t)n);
  return done(&a);
}

// layernormForward(out, mean, rstd, inp, params, w, b, N, C)
static napi_value layernorm_forward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 9)) return NULL;
  int64_t N = num(&a, 7), C = num(&a, 8), w = num(&a, 5), b = num(&a, 6);
  float *out = f32(&a, 0, 0, N * C), *mean = f32(&a, 1, 0, N), *rstd = f32(&a, 2, 0, N), *inp = f32(&a, 3, 0, N * C);
  float *pw = f32(&a, 4, w, C), *pb = f32(&a, 4, b, C);
  if (!a.failed) k_layernorm_forward(out, mean, rstd, inp, pw, pb, (size_t)N, (size_t)C);
  return done(&a);
}

// layernormBackward(dinp, grads, dout, inp, params, w, b, mean, rstd, N, C)
static napi_value layernorm_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 11)) return NULL;
  int64_t N = num(&a, 9), C = num(&a, 10), w = num(&a, 5), b = num(&a, 6);
  float *dinp = f32(&a, 0, 0, N * C), *dw = f32(&a, 1, w, C), *db = f32(&a, 1, b, C), *dout = f32(&a, 2, 0, N * C), *inp = f32(&a, 3, 0, N * C);
  float *pw = f32(&a, 4, w, C), *mean = f32(&a, 7, 0, N), *rstd = f32(&a, 8, 0, N);
  if (!a.failed) k_layernorm_backward(dinp, dw, db, dout, inp, pw, mean, rstd, (size_t)N, (size_t)C);
  return done(&a);
}

// causalSoftmax(att, blocks, T)
static napi_value bias_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t bias = num(&a, 1), N = num(&a, 3), OC = num(&a, 4);
  float *db = f32(&a, 0, bias, OC), *dout = f32(&a, 2, 0, N * OC);
  if (!a.failed) k_bias_backward(db, dout, (size_t)N, (size_t)OC);
  return done(&a);
}

// attentionStep(out, qkv, K, V, pos, S, T, C, NH)
static napi_value attention_step(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 9)) return NULL;
  int64_t S = num(&a, 5), T = num(&a, 6), C = num(&a, 7), NH = num(&a, 8);
  if (!a.failed && (NH == 0 || C % NH != 0)) a.failed = 1;
  float *out = f32(&a, 0, 0, S * C), *qkv = f32(&a, 1, 0, S * 3 * C), *K = f32(&a, 2, 0, S * T * C), *V = f32(&a, 3, 0, S * T * C);
  int32_t *pos = i32(&a, 4, S, T);
  if (!a.failed) k_attention_step(out, qkv, K, V, pos, (size_t)S, (size_t)T, (size_t)C, (size_t)NH);
  return done(&a);
}

static int heads_ok(Args *a, int64_t C, int64_t NH) {
  if (!a->failed && (NH == 0 || C % NH != 0)) a->failed = 1;
  return !a->failed;
}

// attentionForward(out, att, qkv, B, T, C, NH)
static napi_value attention_forward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 7)) return NULL;
  int64_t B = num(&a, 3), T = num(&a, 4), C = num(&a, 5), NH = num(&a, 6);
  heads_ok(&a, C, NH);
  float *out = f32(&a, 0, 0, B * T * C), *att = f32(&a, 1, 0, B * NH * T * T), *qkv = f32(&a, 2, 0, B * T * 3 * C);
  if (!a.failed) k_attention_forward(out, att, qkv, (size_t)B, (size_t)T, (size_t)C, (size_t)NH);
  return done(&a);
}

// attentionBackward(dqkv, dout, att, qkv, B, T, C, NH)
static napi_value attention_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 8)) return NULL;
  int64_t B = num(&a, 4), T = num(&a, 5), C = num(&a, 6), NH = num(&a, 7);
  heads_ok(&a, C, NH);
  float *dqkv = f32(&a, 0, 0, B * T * 3 * C), *dout = f32(&a, 1, 0, B * T * C), *att = f32(&a, 2, 0, B * NH * T * T), *qkv = f32(&a, 3, 0, B * T * 3 * C);
  if (!a.failed) k_attention_backward(dqkv, dout, att, qkv, (size_t)B, (size_t)T, (size_t)C, (size_t)NH);
  return done(&a);
}

// crossEntropyForward(logits, targets, N, V, losses)
static napi_value cross_entropy_forward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t N = num(&a, 2), V = num(&a, 3);
  float *logits = f32(&a, 0, 0, N * V), *losses = f32(&a, 4, 0, N);
  int32_t *y = targets(&a, 1, N, V);
  if (!a.failed) k_cross_entropy_forward(logits, y, (size_t)N, (size_t)V, losses);
  return done(&a);
}

// crossEntropyBackward(probs, targets, N, V, scale)
static napi_value cross_entropy_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t N = num(&a, 2), V = num(&a, 3);
  double sc = real(&a, 4);
  float *probs = f32(&a, 0, 0, N * V);
  int32_t *y = targets(&a, 1, N, V);
  if (!a.failed) k_cross_entropy_backward(probs, y, (size_t)N, (size_t)V, (float)sc);
  return done(&a);
}

// sampleRows(logits, S, V, invT, u, active, token, logq)
static napi_value sample_rows(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 8)) return NULL;
  int64_t S = num(&a, 1), V = num(&a, 2);
  double inv_t = real(&a, 3);
  if (!a.failed && (V < 1 || !(inv_t > 0))) a.failed = 1;
  float *logits = f32(&a, 0, 0, S * V);
  double *u = typed(&a, 4, napi_float64_array, S), *logq = typed(&a, 7, napi_float64_array, S);
  uint8_t *active = typed(&a, 5, napi_uint8_array, S);
  int32_t *token = typed(&a, 6, napi_int32_array, S);
  if (!a.failed) k_sample_rows(logits, (size_t)S, (size_t)V, (float)inv_t, u, active, token, logq);
  return done(&a);
}

// sumSquares(g, n) → Σ g²
static napi_value sum_squares(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 2)) return NULL;
  int64_t n = num(&a, 1);
  float *g = f32(&a, 0, 0, n);
  napi_value r = NULL;
  if (!a.failed && napi_create_double(env, k_sum_squares(g, (size_t)n), &r) != napi_ok) a.failed = 1;
  return a.failed ? done(&a) : r;
}

// scale(g, n, k): g *= k
static napi_value scale(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 3)) return NULL;
  int64_t n = num(&a, 1);
  double k = real(&a, 2);
  float *g = f32(&a, 0, 0, n);
  if (!a.failed) k_scale(g, (size_t)n, k);
  return done(&a);
}

// adamw(params, grads, m, v, decay, n, lr, beta1, beta2, eps, weightDecay, c1, c2)
static napi_value adamw(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 13)) return NULL;
  int64_t n = num(&a, 5);
  double h[7];
  for (size_t i = 0; i < 7; i++) h[i] = real(&a, 6 + i);
  float *p = f32(&a, 0, 0, n), *g = f32(&a, 1, 0, n), *m = f32(&a, 2, 0, n), *v = f32(&a, 3, 0, n);
  uint8_t *decay = typed(&a, 4, napi_uint8_array, n);
  if (!a.failed) k_adamw(p, g, m, v, decay, (size_t)n, h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
  return done(&a);
}

napi_status define_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"geluForward", NULL, gelu_forward, NULL, NULL, NULL, napi_default, NULL},
      {"geluBackward", NULL, gelu_backward, NULL, NULL, NULL, napi_default, NULL},
      {"layernormForward", NULL, layernorm_forward, NULL, NULL, NULL, napi_default, NULL},
      {"layernormBackward", NULL, layernorm_backward, NULL, NULL, NULL, napi_default, NULL},
      {"attentionForward", NULL, attention_forward, NULL, NULL, NULL, napi_default, NULL},
      {"attentionBackward", NULL, attention_backward, NULL, NULL, NULL, napi_default, NULL},
      {"crossEntropyForward", NULL, cross_entropy_forward, NULL, NULL, NULL, napi_default, NULL},
      {"crossEntropyBackward", NULL, cross_entropy_backward, NULL, NULL, NULL, napi_default, NULL},
      {"sampleRows", NULL, sample_rows, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"scale", NULL, scale, NULL, NULL, NULL, napi_default, NULL},
      {"adamw", NULL, adamw, NULL, NULL, NULL, napi_default, NULL},
      {"biasBackward", NULL, bias_backward, NULL, NULL, NULL, napi_default, NULL},
      {"attentionStep", NULL, attention_step, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
