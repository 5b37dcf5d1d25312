// Builds the addon with node-gyp against the Node headers installed beside this node binary
// (Debian and the official tarballs ship include/node), so no headers are downloaded.
// When OpenBLAS or a compiler is missing it says so and exits 0, leaving the addon unbuilt:
// requiring it then throws and Ouroboros uses its TypeScript GEMM (`ouro doctor` says why).
// Exiting non-zero would make npm drop this optional dependency and then warn, wrongly, that
// its install script was never approved.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const headers = ['/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h', '/usr/include/openblas/cblas.h', '/usr/include/cblas.h'];
if (!headers.some((h) => existsSync(h))) {
  console.error('ouro-blas: no cblas.h found (apt-get install libopenblas-dev); the TypeScript GEMM will be used');
  process.exit(0);
}
const prefix = path.resolve(path.dirname(process.execPath), '..');
const args = ['rebuild'];
if (existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
// npm names its bundled node-gyp in npm_config_node_gyp for install scripts; else use PATH's.
const gyp = process.env.npm_config_node_gyp;
try {
  if (gyp) execFileSync(process.execPath, [gyp, ...args], { stdio: 'inherit' });
  else execFileSync('node-gyp', args, { stdio: 'inherit' });
} catch (err) {
  console.error(`ouro-blas: node-gyp failed (${err.message}); the TypeScript GEMM will be used`);
  process.exit(0);
}
