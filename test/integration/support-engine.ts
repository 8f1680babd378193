import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine';
import { openSession } from '../../electron/transport/session';
import { FuncdeckError, type CallName, type CallParams, type CallResult, type ServerMessage } from '../../shared/contract';
import { testCluster } from '../support/cluster-target';

/**
 * A whole engine on the test cluster, spoken to through the transport session as the UI does (every
 * message validated both ways), with its own home and data dir, and everything it prints captured.
 */
export interface EngineHarness {
  engine: Engine;
  dataDir: string;
  /** What the engine wrote to stdout, stderr and the console while it ran. */
  output: string[];
  call<K extends CallName>(name: K, params: CallParams<K>): Promise<CallResult<K>>;
  dispose(): Promise<void>;
}

export async function startEngine(namespace: string): Promise<EngineHarness> {
  const tc = testCluster();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-engine-'));
  const dataDir = path.join(home, 'data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(home, 'kubeconfig'), tc.kc.exportConfig());
  const output: string[] = [];
  const restore: Array<() => void> = [];
  const tap = <T extends object>(obj: T, key: keyof T) => {
    const original = obj[key] as unknown as (...a: unknown[]) => unknown;
    (obj as Record<keyof T, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      output.push(args.map((a) => (typeof a === 'string' ? a : Buffer.isBuffer(a) ? a.toString('utf8') : (() => { try { return JSON.stringify(a); } catch { return String(a); } })())).join(' '));
      return original.apply(this, args);
    };
    restore.push(() => ((obj as Record<keyof T, unknown>)[key] = original));
  };
  tap(process.stdout, 'write');
  tap(process.stderr, 'write');
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) tap(console, m);
  const engine = createEngine({
    mode: 'web',
    version: 'test',
    env: { ...process.env, KUBECONFIG: path.join(home, 'kubeconfig'), HOME: home, FUNCDECK_IMAGE_NODE: tc.images.nodejs, FUNCDECK_IMAGE_PYTHON: tc.images.python },
    homeDir: home,
    dataDir,
  });
  const pending = new Map<string, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const session = openSession(engine, (m: ServerMessage) => {
    if (m.type !== 'result') return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(FuncdeckError.fromShape(m.error));
  });
  let n = 0;
  const call = <K extends CallName>(name: K, params: CallParams<K>): Promise<CallResult<K>> =>
    new Promise((resolve, reject) => {
      const id = `c${++n}`;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      void session.receive(JSON.stringify({ type: 'call', id, method: name, params }));
    });
  await call('clusters.select', { context: tc.context, namespace });
  return {
    engine,
    dataDir: home,
    output,
    call,
    async dispose() {
      session.close();
      await engine.dispose();
      for (const r of restore.reverse()) r();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` whose bytes contain any of `needles` (as UTF-8). */
export function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(p);
        if (needles.some((n) => bytes.includes(Buffer.from(n, 'utf8')))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}
