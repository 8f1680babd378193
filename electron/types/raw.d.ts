// Files imported with ?raw arrive as their text (Vite in tests, an esbuild plugin in the build).
declare module '*?raw' {
  const text: string;
  export default text;
}

// A program that runs in the cluster, imported with ?bundle: its sources bundled into one plain
// CommonJS file (no dependencies), as text (build/scripts/node-bundle.mjs: bundleProgram).
declare module '*?bundle' {
  const text: string;
  export default text;
}
