import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, LogsQueryParams, type LogLine, type LogsBatch } from '../../shared/contract/logs';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { logsHandlers } from '../../electron/engine/logs/handlers';
import { cluster, createNamespace, deleteNamespace, deployWorkload, recordingSink, restartDevApiServer, sleep, testEngine, type TestEngine } from './support-observe';

/** Restarting the API server needs the dev cluster (kind's or minikube's cannot be restarted from here). */
const d = cluster.devCluster ? describe : describe.skip;

let ns: string;
let engine: TestEngine;

beforeAll(async () => {
  if (!cluster.devCluster) return;
  ns = await createNamespace('logsrestart');
  engine = await testEngine(ns);
  await deployWorkload(ns, 'rs');
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

const numbersOf = (lines: LogLine[], tag: string) =>
  lines.map((l) => /(\S+) (\d+)$/.exec(l.text)).filter((m) => m && m[1] === tag).map((m) => Number(m![2]));

function expectExactly(nums: number[], count: number) {
  const seen = new Map<number, number>();
  for (const n of nums) seen.set(n, (seen.get(n) ?? 0) + 1);
  const missing = [];
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missing.push(i);
  expect({ total: nums.length, missing: missing.slice(0, 20), doubled: [...seen].filter(([, c]) => c > 1).slice(0, 20) }).toEqual({ total: count, missing: [], doubled: [] });
}

d('logs.follow across an API server restart', () => {
  it('resumes after the API server restarts, with no line lost or doubled', async () => {
    const invoke = invokeHandlers(engine.ctx).calls;
    const logs = logsHandlers(engine.ctx);
    const sink = recordingSink<LogsBatch>();
    const done = logs.streams['logs.follow'](LogsFollowParams.parse({ function: 'rs', tailLines: 0 }), sink);
    await sink.until((ev) => ev.some((e) => e.status?.pods.some((p) => p.state === 'following')), 20_000, 'following');
    const count = 6000; // 400 lines/s for 15 s
    await invoke['invoke.send'](InvokeRequest.parse({ function: 'rs', path: '/ticker', query: [{ name: 'rate', value: '400' }, { name: 'count', value: String(count) }, { name: 'tag', value: 'R' }] }));
    await sleep(2000);
    const t0 = Date.now();
    await restartDevApiServer();
    const downMs = Date.now() - t0;
    await sink.until((ev) => ev.some((e) => e.lines.some((l) => l.text === `R ${count}`)), 90_000, 'the last line');
    await sleep(500);
    const states = sink.events.flatMap((e) => e.event.status?.pods.map((p) => p.state) ?? []);
    expect(states).toContain('reconnecting');
    sink.unsubscribe();
    await done;
    expectExactly(numbersOf(sink.events.flatMap((e) => e.event.lines), 'R'), count);
    const stored = await logs.calls['logs.query'](LogsQueryParams.parse({ function: 'rs', text: 'R ', limit: 10_000 }));
    expectExactly(numbersOf(stored.lines, 'R'), count);
    console.log(`[logs] API server restarted (${downMs} ms until ready again) during ${count} lines: feed and store have each line exactly once`);
  });
});
