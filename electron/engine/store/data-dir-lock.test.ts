import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError, LOCK_FILE, lockDataDir, processIdentity } from './data-dir-lock';

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'fd-lock-'));

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('data dir lock', () => {
  it('lets one engine in; a second is refused with the holder’s pid, mode and what to do', async () => {
    const dir = await tmp();
    const lock = await lockDataDir(dir, 'web');
    const held = JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, mode: 'web' });
    const refused = await lockDataDir(dir, 'electron').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirBusyError);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toMatch(/browser mode/);
    expect((refused as Error).message).toMatch(/FUNCDECK_DATA_DIR/);
    await lock.release();
    await expect(fs.access(path.join(dir, LOCK_FILE))).rejects.toThrow();
    // Free again.
    await (await lockDataDir(dir, 'web')).release();
    await fs.rm(dir, { recursive: true });
  });

  it('takes over the stale lock of a process that is gone', async () => {
    const dir = await tmp();
    const pid = await deadPid();
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid, mode: 'web', startedAt: new Date().toISOString(), identity: null, host: os.hostname() }));
    const lock = await lockDataDir(dir, 'web');
    expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(lock.tookOverFrom).toBe(pid);
    await lock.release();
    await fs.rm(dir, { recursive: true });
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose pid now belongs to another process (the pid was reused)', async () => {
    const dir = await tmp();
    expect(processIdentity(process.pid)).toMatch(/\S+:\d+/);
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, mode: 'web', startedAt: '2020-01-01T00:00:00Z', identity: 'another-boot:1', host: os.hostname() }));
    const lock = await lockDataDir(dir, 'web');
    expect(lock.tookOverFrom).toBe(process.pid);
    await lock.release();
    await fs.rm(dir, { recursive: true });
  });

  it('is refused while a live process holds it, also when its lock file cannot be read yet', async () => {
    const dir = await tmp();
    await fs.writeFile(path.join(dir, LOCK_FILE), '');
    await expect(lockDataDir(dir, 'web', { waitMs: 200 })).rejects.toThrow(/being started|cannot be read/);
    // A damaged lock file that has been there for a while is stale.
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(path.join(dir, LOCK_FILE), old, old);
    await (await lockDataDir(dir, 'web')).release();
    await fs.rm(dir, { recursive: true });
  });
});
