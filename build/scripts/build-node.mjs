// Bundles the engine with its two entry points for Node: the Electron shell (main + sandboxed preload)
// and the browser-mode server. The engine itself must also run under plain Node 20.
import { build } from 'esbuild';
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

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [rawPlugin],
  define: { __FUNCDECK_VERSION__: JSON.stringify(version) },
  // client-node and friends are CommonJS in places; this lets bundled ESM call require().
  banner: { js: "import { createRequire as __fdRequire } from 'node:module'; const require = __fdRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/web/main.ts'], outfile: 'dist/electron/web.mjs', format: 'esm' }),
  build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', external: ['electron'] }),
  build({
    ...common,
    banner: {},
    entryPoints: ['electron/shell/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log('built dist/electron (web.mjs, main.mjs, preload.cjs)');
