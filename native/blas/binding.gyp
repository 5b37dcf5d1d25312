{
  "targets": [
    {
      "target_name": "ouro_blas",
      "sources": ["ouro_blas.c", "kernels.c", "softmax.c", "attention.c", "optim.c", "kernels_napi.c"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/openblas"],
      "libraries": ["-lopenblas", "-fopenmp"],
      "cflags": ["-O3", "-march=native", "-fno-math-errno", "-std=c11", "-fopenmp", "-Wall", "-Wextra"]
    }
  ]
}
