// cblas_sgemm from OpenBLAS for Node, over Float32Arrays in place (no copies), plus the
// element-wise kernels of kernels.c (bound in kernels_napi.c).
// The TypeScript wrapper (src/families/transformer/gemm.ts) checks shapes first; the checks here
// repeat the bounds test so that a wrong call can never touch memory outside an array.
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <omp.h>

// Declared by OpenBLAS; not part of the reference cblas.h.
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);
extern int openblas_get_num_threads(void);
extern void openblas_set_num_threads(int);

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "N-API call failed"); \
      return NULL;                                         \
    }                                                      \
  } while (0)

static int get_f32(napi_env env, napi_value v, float **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, NULL, NULL) != napi_ok) return 0;
  if (type != napi_float32_array) return 0;
  *data = (float *)ptr;
  return 1;
}

static int get_i64(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

// Elements a row-major rows×cols operand with leading dimension ld reaches from offset off.
static int fits(int64_t off, int64_t rows, int64_t cols, int64_t ld, size_t len) {
  if (off < 0 || rows < 0 || cols < 0 || ld < (cols > 1 ? cols : 1)) return 0;
  if (rows == 0 || cols == 0) return 1;
  return (uint64_t)(off + (rows - 1) * ld + cols) <= (uint64_t)len;
}

// sgemm(transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc):
// C[offC..] = alpha · op(A) · op(B) + beta · C, all row-major.
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 16) {
    napi_throw_type_error(env, NULL, "sgemm: expected 16 arguments");
    return NULL;
  }
  bool ta = false, tb = false;
  int64_t m, n, k, offA, lda, offB, ldb, offC, ldc;
  double alpha, beta;
  float *a, *b, *c;
  size_t la, lb, lc;
  if (napi_get_value_bool(env, argv[0], &ta) != napi_ok || napi_get_value_bool(env, argv[1], &tb) != napi_ok ||
      !get_i64(env, argv[2], &m) || !get_i64(env, argv[3], &n) || !get_i64(env, argv[4], &k) ||
      napi_get_value_double(env, argv[5], &alpha) != napi_ok || !get_f32(env, argv[6], &a, &la) ||
      !get_i64(env, argv[7], &offA) || !get_i64(env, argv[8], &lda) || !get_f32(env, argv[9], &b, &lb) ||
      !get_i64(env, argv[10], &offB) || !get_i64(env, argv[11], &ldb) ||
      napi_get_value_double(env, argv[12], &beta) != napi_ok || !get_f32(env, argv[13], &c, &lc) ||
      !get_i64(env, argv[14], &offC) || !get_i64(env, argv[15], &ldc)) {
    napi_throw_type_error(env, NULL, "sgemm: bad argument types (booleans, integers, numbers, Float32Arrays)");
    return NULL;
  }
  int okA = ta ? fits(offA, k, m, lda, la) : fits(offA, m, k, lda, la);
  int okB = tb ? fits(offB, n, k, ldb, lb) : fits(offB, k, n, ldb, lb);
  if (!okA || !okB || !fits(offC, m, n, ldc, lc) || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    napi_throw_range_error(env, NULL, "sgemm: an operand does not fit its array");
    return NULL;
  }
  if (m == 0 || n == 0) return NULL;
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
              (float)alpha, a + offA, (int)lda, b + offB, (int)ldb, (float)beta, c + offC, (int)ldc);
  return NULL;
}

// info(): { config, corename, threads } as OpenBLAS reports them.
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, config, core, threads;
  CHECK(env, napi_create_object(env, &obj));
  CHECK(env, napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(env, napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core));
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(env, napi_set_named_property(env, obj, "config", config));
  CHECK(env, napi_set_named_property(env, obj, "corename", core));
  CHECK(env, napi_set_named_property(env, obj, "threads", threads));
  return obj;
}

// setThreads(n): the number of threads OpenBLAS and the kernels (OpenMP) use from now on.
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) {
    napi_throw_range_error(env, NULL, "setThreads: expected an integer ≥ 1");
    return NULL;
  }
  openblas_set_num_threads(n);
  omp_set_num_threads(n);
  return NULL;
}

napi_status define_kernels(napi_env env, napi_value exports);  // kernels_napi.c

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  CHECK(env, define_kernels(env, exports));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
