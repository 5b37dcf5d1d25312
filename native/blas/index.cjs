// The compiled addon: sgemm(transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc),
// info() and setThreads(n). Throws when the addon was not built.
module.exports = require('./build/Release/ouro_blas.node');
