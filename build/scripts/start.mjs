#!/usr/bin/env node
// `npm start`, after the build: the Electron window, or, where Electron's binary is missing (it
// could not be downloaded, or ELECTRON_SKIP_BINARY_DOWNLOAD was set), one line saying so and
// browser mode instead. Arguments go to browser mode (e.g. `npm start -- --port 8080`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const electron = electronBinary(packageDir);

let command;
let args;
if (electron.path) {
  command = electron.path;
  args = [root, ...process.argv.slice(2)];
} else {
  console.log(`Electron's window is not available (${electron.why}), so Funcdeck runs in browser mode instead (npm run web).`);
  command = process.execPath;
  args = [path.join(root, 'dist', 'electron', 'web.mjs'), ...process.argv.slice(2)];
}

const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (e) => {
  console.error(`Could not start ${command}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
