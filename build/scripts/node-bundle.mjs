// esbuild options shared by everything bundled for Node: the app's engine entry points
// (build-node.mjs) and the engine the memory benchmark runs in its own process.
import { readFileSync } from 'node:fs';
import path from 'node:path';

// `import text from './file?raw'` (as Vite does it), for runtime servers shipped into the cluster as text.
const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

/** Options for an ESM bundle that runs under plain Node 20 (and inside Electron). */
export function nodeBundleOptions(version) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [rawPlugin],
    define: { __FUNCDECK_VERSION__: JSON.stringify(version) },
    // client-node and friends are CommonJS in places; this lets bundled ESM call require().
    banner: { js: "import { createRequire as __fdRequire } from 'node:module'; const require = __fdRequire(import.meta.url);" },
  };
}
