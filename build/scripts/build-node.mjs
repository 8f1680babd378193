// Bundles the engine with its two entry points for Node: the Electron shell (main + sandboxed preload)
// and the browser-mode server. The engine itself must also run under plain Node 20.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { nodeBundleOptions } from './node-bundle.mjs';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const common = nodeBundleOptions(version);

await Promise.all([
  build({ ...common, entryPoints: ['electron/web/main.ts'], outfile: 'dist/electron/web.mjs' }),
  build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/electron/main.mjs', external: ['electron'] }),
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
