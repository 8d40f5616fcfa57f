// Bundles the built CLI (dist/bin/helios-recover.js, from tsc) into one entry file plus the
// chunks its lazy imports load, in place: the same path, and the chunks beside it, so what the
// CLI finds next to itself (its own path for the service unit, ../../package.json) is where it
// was. Loading one bundle instead of ~270 module files starts `recover` about 160 ms sooner on
// 2 cores (farm-bench, 25 sessions: 0.86 s against 1.03 s). The library (dist/index.js) is not
// bundled: a host app resolves its dependencies itself.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bin = fileURLToPath(new URL('../dist/bin/', import.meta.url));
// Chunks of an earlier bundle (esbuild's hash names; tsc's names are lower-case).
for (const name of readdirSync(bin)) if (/-[A-Z0-9]{8}\.js$/.test(name)) rmSync(join(bin, name));

await build({
  entryPoints: [join(bin, 'helios-recover.js')],
  outdir: bin,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // CommonJS dependencies inside the bundle may require Node's built-ins.
  banner: {
    js: "import { createRequire as __heliosRequire } from 'node:module'; const require = __heliosRequire(import.meta.url);",
  },
});
