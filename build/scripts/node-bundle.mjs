// esbuild options shared by everything bundled for Node: the app's engine entry points
// (build-node.mjs) and the engine the memory benchmark runs in its own process.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// `import text from './file?raw'` (as Vite does it), for runtime servers shipped into the cluster as text.
const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

/**
 * A program that runs in the cluster (the namespace gateway), bundled into one CommonJS file that
 * needs nothing but Node's own modules, returned as text. Deterministic: the same sources give the
 * same bytes, so a hash of the text is the program's version.
 */
export async function bundleProgram(entry) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: `// Funcdeck in-cluster program, bundled from ${path.basename(entry)}. Plain Node, no dependencies.` },
  });
  const text = out.outputFiles[0].text;
  return { text, version: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}

// `import program from './main.ts?bundle'`: the bundled program's text (see bundleProgram).
const programPlugin = {
  name: 'program',
  setup(b) {
    b.onResolve({ filter: /\?bundle$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -7)), namespace: 'program' }));
    b.onLoad({ filter: /.*/, namespace: 'program' }, async (args) => ({ contents: (await bundleProgram(args.path)).text, loader: 'text' }));
  },
};

/** Vite/Vitest's side of the same `?bundle` import, so tests run the engine from its sources. */
export function viteProgramPlugin() {
  return {
    name: 'funcdeck-program',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!id.endsWith('?bundle') || !importer) return null;
      return path.resolve(path.dirname(importer.split('?')[0]), id.slice(0, -7)) + '?bundle';
    },
    async load(id) {
      if (!id.endsWith('?bundle')) return null;
      const { text } = await bundleProgram(id.slice(0, -7));
      return `export default ${JSON.stringify(text)};`;
    },
  };
}

/** Options for an ESM bundle that runs under plain Node 20 (and inside Electron). */
export function nodeBundleOptions(version) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [rawPlugin, programPlugin],
    define: { __FUNCDECK_VERSION__: JSON.stringify(version) },
    // client-node and friends are CommonJS in places; this lets bundled ESM call require().
    banner: { js: "import { createRequire as __fdRequire } from 'node:module'; const require = __fdRequire(import.meta.url);" },
  };
}
