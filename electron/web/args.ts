export interface WebArgs {
  port: number;
}

/** `--port N` (or `--port=N`); 0 or absent means any free port. */
export function parseWebArgs(argv: string[]): WebArgs {
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith('--port=') ? arg.slice(7) : arg === '--port' ? argv[++i] : undefined;
    if (arg === '--port' || arg.startsWith('--port=')) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port needs a number from 0 to 65535, got "${value ?? ''}".`);
      port = n;
    } else {
      throw new Error(`Unknown option "${arg}". Usage: npm run web -- [--port N]`);
    }
  }
  return { port };
}
