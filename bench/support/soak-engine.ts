/**
 * Child process of bench/cases/engine-memory.ts, bundled by esbuild as the app's build does: a whole engine
 * (createEngine + the session router, as the browser mode runs it) in its own Node process, so its
 * RSS is the engine's alone. It selects the
 * dev cluster's context and the namespace in argv[2], follows logs and metrics of the function in
 * argv[3] for argv[4] seconds, and prints one JSON line every 10 s: RSS, heap, lines and samples seen.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { ServerMessage } from '../../shared/contract';
import { createEngine, defaultEngineOptions } from '../../electron/engine/index';
import { openSession } from '../../electron/transport/session';

const [namespace, fn, secondsArg, kubeconfig, context] = process.argv.slice(2);
const seconds = Number(secondsArg);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-soak-'));
const engine = createEngine(defaultEngineOptions('web', 'soak', { ...process.env, KUBECONFIG: kubeconfig, FUNCDECK_DATA_DIR: dataDir, HOME: dataDir }));
let lines = 0;
let dropped = 0;
let samples = 0;
let lastSeq = 0;
const errors: string[] = [];
const session = openSession(engine, (m: ServerMessage) => {
  if (m.type === 'event' && m.id === 'logs') {
    const b = m.value as { lines: Array<{ seq: number }>; dropped?: number };
    lines += b.lines.length;
    dropped += b.dropped ?? 0;
    if (b.lines.length) lastSeq = b.lines.at(-1)!.seq;
  } else if (m.type === 'event' && m.id === 'metrics') {
    samples += (m.value as { samples: unknown[] }).samples.length;
  } else if (m.type === 'end' || (m.type === 'result' && !m.ok)) {
    errors.push(JSON.stringify(m));
  }
});
const report = (phase: string) =>
  console.log(JSON.stringify({ phase, t: Math.round(process.uptime()), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20), heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), lines, lastSeq, dropped, samples, errors }));

await session.receive(JSON.stringify({ type: 'call', id: 'sel', method: 'clusters.select', params: { context, namespace } }));
await new Promise((r) => setTimeout(r, 500));
void session.receive(JSON.stringify({ type: 'subscribe', id: 'logs', stream: 'logs.follow', params: { function: fn, tailLines: 200 } }));
void session.receive(JSON.stringify({ type: 'subscribe', id: 'metrics', stream: 'metrics.watch', params: { function: fn, intervalMs: 1000 } }));
report('start');
const timer = setInterval(() => report('running'), 10_000);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
globalThis.gc?.();
report('end');
session.close();
await engine.dispose();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
