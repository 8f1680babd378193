// Files imported with ?raw arrive as their text (Vite in tests, an esbuild plugin in the build).
declare module '*?raw' {
  const text: string;
  export default text;
}
