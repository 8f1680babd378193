import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { printedUrl } from './server-process';

// Issue 8 §7: `npm start` where Electron's binary is missing says so in one line and serves browser
// mode instead. The binary is made absent whatever this machine has (an empty ELECTRON_OVERRIDE_DIST_PATH).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm start without the Electron binary: one line, then browser mode serves the app, and it stops with the start script', async ({ page }) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-e2e-start-'));
  const noElectron = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-e2e-no-electron-'));
  const child = spawn(process.execPath, [path.join(root, 'build', 'scripts', 'start.mjs'), '--port', '0'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      FUNCDECK_DATA_DIR: path.join(home, 'data'),
      FUNCDECK_WEB_TOKEN: crypto.randomBytes(16).toString('hex'),
      KUBECONFIG: path.join(home, 'no-kubeconfig'),
      ELECTRON_OVERRIDE_DIST_PATH: noElectron,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const { url, output } = await printedUrl(child, 'the start script');
    const lines = output.split('\n');
    expect(lines[0]).toBe(`Electron's window is not available (Electron's binary is not at ${path.join(noElectron, 'electron')}), so Funcdeck runs in browser mode instead (npm run web).`);
    expect(lines[1]).toBe('Funcdeck is running in browser mode. Open:');

    await page.goto(url);
    await expect(page.getByText('Funcdeck', { exact: true })).toBeVisible();
    await expect(page.getByText('Engine connected')).toBeVisible();

    // Stopping the start script stops the server it started.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(url).then((r) => r.status)).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(noElectron, { recursive: true, force: true });
  }
});
