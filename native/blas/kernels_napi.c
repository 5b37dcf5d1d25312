// N-API bindings of kernels.c. Every array is a Float32Array; every extent is checked against
// its array's length before a kernel runs.
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>

void k_gelu_forward(float *out, const float *inp, float *th, size_t n);
void k_gelu_backward(float *dinp, const float *inp, const float *th, const float *dout, size_t n);
void k_layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *w, const float *b, size_t N, size_t C);
void k_layernorm_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp, const float *w, const float *mean, const float *rstd, size_t N, size_t C);
void k_causal_softmax(float *att, size_t blocks, size_t T);
void k_causal_softmax_backward(float *datt, const float *att, size_t blocks, size_t T, float scale);
void k_bias_backward(float *dbias, const float *dout, size_t N, size_t OC);
void k_attention_step(float *out, const float *qkv, const float *K, const float *V, const int32_t *pos, size_t S, size_t T, size_t C, size_t NH, float *scores);

#define MAXARGS 12

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
static napi_value causal_softmax(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 3)) return NULL;
  int64_t blocks = num(&a, 1), T = num(&a, 2);
  float *att = f32(&a, 0, 0, blocks * T * T);
  if (!a.failed) k_causal_softmax(att, (size_t)blocks, (size_t)T);
  return done(&a);
}

// causalSoftmaxBackward(datt, att, blocks, T, scale)
static napi_value causal_softmax_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t blocks = num(&a, 2), T = num(&a, 3);
  double scale = real(&a, 4);
  float *datt = f32(&a, 0, 0, blocks * T * T), *att = f32(&a, 1, 0, blocks * T * T);
  if (!a.failed) k_causal_softmax_backward(datt, att, (size_t)blocks, (size_t)T, (float)scale);
  return done(&a);
}

// biasBackward(grads, bias, dout, N, OC)
static napi_value bias_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 5)) return NULL;
  int64_t bias = num(&a, 1), N = num(&a, 3), OC = num(&a, 4);
  float *db = f32(&a, 0, bias, OC), *dout = f32(&a, 2, 0, N * OC);
  if (!a.failed) k_bias_backward(db, dout, (size_t)N, (size_t)OC);
  return done(&a);
}

// attentionStep(out, qkv, K, V, pos, S, T, C, NH, scores)
static napi_value attention_step(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a, 10)) return NULL;
  int64_t S = num(&a, 5), T = num(&a, 6), C = num(&a, 7), NH = num(&a, 8);
  if (!a.failed && (NH == 0 || C % NH != 0)) a.failed = 1;
  float *out = f32(&a, 0, 0, S * C), *qkv = f32(&a, 1, 0, S * 3 * C), *K = f32(&a, 2, 0, S * T * C), *V = f32(&a, 3, 0, S * T * C);
  int32_t *pos = i32(&a, 4, S, T);
  float *scores = f32(&a, 9, 0, T);
  if (!a.failed) k_attention_step(out, qkv, K, V, pos, (size_t)S, (size_t)T, (size_t)C, (size_t)NH, scores);
  return done(&a);
}

napi_status define_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"geluForward", NULL, gelu_forward, NULL, NULL, NULL, napi_default, NULL},
      {"geluBackward", NULL, gelu_backward, NULL, NULL, NULL, napi_default, NULL},
      {"layernormForward", NULL, layernorm_forward, NULL, NULL, NULL, napi_default, NULL},
      {"layernormBackward", NULL, layernorm_backward, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmax", NULL, causal_softmax, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmaxBackward", NULL, causal_softmax_backward, NULL, NULL, NULL, napi_default, NULL},
      {"biasBackward", NULL, bias_backward, NULL, NULL, NULL, napi_default, NULL},
      {"attentionStep", NULL, attention_step, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
