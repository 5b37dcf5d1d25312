// The compiled addon: sgemm(transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc),
// info(), setThreads(n), and the element-wise kernels of kernels.c. Throws when it was not built.
module.exports = require('./build/Release/ouro_blas.node');
