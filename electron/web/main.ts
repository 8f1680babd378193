import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, defaultEngineOptions } from '../engine';
import { DataDirBusyError } from '../engine/store/data-dir-lock';
import { openDataDir } from '../engine/store/open-data-dir';
import { startWebServer } from './server';
import { parseWebArgs } from './args';

declare const __FUNCDECK_VERSION__: string;

/** `npm run web`: the engine plus browser mode, on 127.0.0.1. */
async function main() {
  const args = parseWebArgs(process.argv.slice(2));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const options = defaultEngineOptions('web', typeof __FUNCDECK_VERSION__ === 'string' ? __FUNCDECK_VERSION__ : 'dev');
  // One engine per data dir: a second one would interleave writes to the same files.
  const { lock } = await openDataDir(options.dataDir, 'web');
  const engine = createEngine(options);
  const server = await startWebServer({
    engine,
    rendererDir: path.resolve(here, '..', 'renderer'),
    port: args.port,
    token: process.env.FUNCDECK_WEB_TOKEN || undefined,
  });
  const stop = async () => {
    await server.close();
    await engine.dispose();
    await lock.release();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`Funcdeck is running in browser mode. Open:\n\n  ${server.url}\n\nPress Ctrl+C to stop.`);
}

main().catch((e: Error) => {
  console.error(e instanceof DataDirBusyError ? `Funcdeck did not start: ${e.message}` : `Funcdeck could not start: ${e.message}`);
  process.exit(1);
});
