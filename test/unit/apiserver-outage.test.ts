import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiServerStopScript } from '../support/apiserver-outage';

const started: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) {
    // the fake API servers the script started
    const pid = Number(fs.readFileSync(path.join(d, 'pid'), 'utf8'));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(d, { recursive: true, force: true });
  }
});

/** A stand-in API server (a sleeping process), its pid file, and a start command that logs each start. */
function fakeApiServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-outage-'));
  dirs.push(dir);
  const server = spawn('sleep', ['60'], { stdio: 'ignore' });
  started.push(server);
  fs.writeFileSync(path.join(dir, 'pid'), String(server.pid));
  fs.writeFileSync(path.join(dir, 'start.sh'), `sleep 60 >/dev/null 2>&1 &\necho $! > "${dir}/pid"\necho started >> "${dir}/log"\n`);
  return { dir, pidFile: path.join(dir, 'pid'), start: `bash "${dir}/start.sh"`, starts: () => (fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8').split('\n').filter(Boolean).length : 0) };
}

function runScript(script: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn('bash', ['-c', script], { stdio: 'ignore' });
  started.push(child);
  return { child, exited: new Promise((r) => child.once('exit', () => r())) };
}

describe('apiServerStopScript', () => {
  it('stops the API server, waits, and starts it once', async () => {
    const api = fakeApiServer();
    const before = Number(fs.readFileSync(api.pidFile, 'utf8'));
    const run = runScript(apiServerStopScript({ pidFile: api.pidFile, start: api.start, downMs: 200 }));
    const stopped = new Promise((r) => started[0]!.once('exit', r));
    await run.exited;
    await stopped;
    expect(api.starts()).toBe(1);
    expect(Number(fs.readFileSync(api.pidFile, 'utf8'))).not.toBe(before);
  });

  it('starts the API server again when the script is stopped by a signal while it is down (the cluster is shared)', async () => {
    const api = fakeApiServer();
    const marker = path.join(api.dir, 'down');
    const run = runScript(apiServerStopScript({ pidFile: api.pidFile, start: api.start, downMs: 1000, marker }));
    for (let i = 0; i < 100 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(marker)).toBe(true);
    run.child.kill('SIGTERM');
    await run.exited;
    expect(api.starts()).toBe(1);
    const pid = Number(fs.readFileSync(api.pidFile, 'utf8'));
    expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
  });
});
