import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuncdeckError } from '../../../shared/contract';

/** In the data dir: who writes it now. */
export const LOCK_FILE = 'engine.lock';
/** Held for a moment by whoever removes a stale lock, so two starting engines cannot both take it. */
const TAKEOVER_FILE = 'engine.lock.takeover';
/** A lock or takeover file this old that cannot be read was left by a crash mid-write. */
const UNREADABLE_STALE_MS = 10_000;

type Mode = 'web' | 'electron';

interface LockRecord {
  pid: number;
  mode: Mode;
  startedAt: string;
  /** Linux: boot id and the process's start in clock ticks, to tell a reused pid; null elsewhere. */
  identity: string | null;
  host: string;
}

export interface DataDirLock {
  readonly file: string;
  /** The pid of a dead (or replaced) holder whose stale lock was taken over, if any. */
  readonly tookOverFrom: number | null;
  /** Removes the lock if it is still ours (also done on process exit). */
  release(): Promise<void>;
}

/** Another live engine holds the data dir. */
export class DataDirBusyError extends FuncdeckError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockRecord | null,
  ) {
    super('CONFLICT', busyMessage(dataDir, holder), holder ? { pid: holder.pid, mode: holder.mode } : undefined);
  }
}

function busyMessage(dataDir: string, h: LockRecord | null): string {
  if (!h) {
    return (
      `Another Funcdeck engine is being started on the data folder ${dataDir} (its lock file ${path.join(dataDir, LOCK_FILE)} cannot be read yet). ` +
      `Wait a moment and try again, or give this one its own folder with FUNCDECK_DATA_DIR=/another/folder.`
    );
  }
  const what = h.mode === 'web' ? 'browser mode (npm run web)' : 'the Funcdeck window';
  return (
    `Another Funcdeck engine, ${what} with pid ${h.pid} started ${h.startedAt}${h.host !== os.hostname() ? ` on ${h.host}` : ''}, is using the data folder ${dataDir}; ` +
    `only one engine may write it at a time. Use that one, or stop it first (Ctrl+C in its terminal, or kill ${h.pid}), ` +
    `or start this one with its own folder: FUNCDECK_DATA_DIR=/another/folder.`
  );
}

/** Linux: `<boot id>:<start time in ticks>` of a pid (stable for the life of that process); null elsewhere or when gone. */
export function processIdentity(pid: number): string | null {
  try {
    const stat = fsSync.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = fsSync.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${bootId}:${fields[19]}`;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the recorded holder still runs: its pid is alive and, where we can tell, is the same process. */
function holderRuns(h: LockRecord): boolean {
  if (h.host !== os.hostname()) return true; // a shared folder: we cannot tell, so assume it does
  if (!isAlive(h.pid)) return false;
  if (h.identity === null) return true;
  const now = processIdentity(h.pid);
  return now === null || now === h.identity;
}

async function readRecord(file: string): Promise<{ record: LockRecord | null; ageMs: number } | null> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let record: LockRecord | null = null;
    try {
      const v = JSON.parse(text) as LockRecord;
      if (Number.isInteger(v.pid) && v.pid > 0) record = v;
    } catch {
      // written by a crashed engine, or by hand
    }
    return { record, ageMs: Date.now() - stat.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Creates `file` with `content` only if it does not exist, whole or not at all (temp file + link). */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.new`;
  await fs.writeFile(tmp, content, { mode: 0o600 });
  try {
    await fs.link(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  // A file system without hard links: exclusive create (the content lands a moment later).
  try {
    await fs.writeFile(file, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Leftovers of engines that crashed while taking the lock (older than any live attempt). */
async function removeLockLeftovers(dataDir: string): Promise<void> {
  for (const name of await fs.readdir(dataDir).catch(() => [] as string[])) {
    if (!(name.startsWith(`${LOCK_FILE}.`) && name.endsWith('.new')) && name !== TAKEOVER_FILE) continue;
    const p = path.join(dataDir, name);
    const stat = await fs.stat(p).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > UNREADABLE_STALE_MS) await fs.rm(p, { force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the data dir for this engine: an exclusive lock file (pid, start time, mode). A lock whose
 * process is gone (or whose pid now belongs to another process) is stale and taken over; a live one
 * refuses with DataDirBusyError naming it. Plain files only: works wherever Node runs, no native code.
 */
export async function lockDataDir(dataDir: string, mode: Mode, opts: { waitMs?: number } = {}): Promise<DataDirLock> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  const takeover = path.join(dataDir, TAKEOVER_FILE);
  const mine: LockRecord = { pid: process.pid, mode, startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(), identity: processIdentity(process.pid), host: os.hostname() };
  const text = JSON.stringify(mine) + '\n';
  const deadline = Date.now() + (opts.waitMs ?? 2000);
  let tookOverFrom: number | null = null;

  for (;;) {
    if (await createExclusive(file, text)) break;
    const held = await readRecord(file);
    if (held === null) continue; // released meanwhile: try again
    const stale = held.record ? !holderRuns(held.record) : held.ageMs > UNREADABLE_STALE_MS;
    if (!stale) {
      // A lock being written right now cannot be read yet: wait a little before refusing.
      if (!held.record && Date.now() < deadline) {
        await sleep(50);
        continue;
      }
      throw new DataDirBusyError(dataDir, held.record);
    }
    // Stale: remove it under the takeover lock, after checking it is still the same stale lock.
    if (!(await createExclusive(takeover, text))) {
      const t = await readRecord(takeover);
      if (t && t.ageMs > UNREADABLE_STALE_MS) await fs.rm(takeover, { force: true });
      if (Date.now() > deadline) throw new DataDirBusyError(dataDir, held.record);
      await sleep(50);
      continue;
    }
    try {
      const again = await readRecord(file);
      if (again && JSON.stringify(again.record) === JSON.stringify(held.record)) {
        await fs.rm(file, { force: true });
        tookOverFrom = held.record?.pid ?? null;
      }
    } finally {
      await fs.rm(takeover, { force: true });
    }
  }

  await removeLockLeftovers(dataDir);
  const ours = async () => {
    const r = (await readRecord(file).catch(() => null))?.record;
    return r?.pid === process.pid && r.identity === mine.identity;
  };
  const releaseSync = () => {
    try {
      const v = JSON.parse(fsSync.readFileSync(file, 'utf8')) as LockRecord;
      if (v.pid === process.pid && v.identity === mine.identity) fsSync.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  };
  process.once('exit', releaseSync);
  return {
    file,
    tookOverFrom,
    async release() {
      process.removeListener('exit', releaseSync);
      if (await ours()) await fs.rm(file, { force: true });
    },
  };
}
