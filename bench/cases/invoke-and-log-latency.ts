import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { logsHandlers } from '../../electron/engine/logs/handlers';
import { createNamespace, deleteNamespace, deployWorkload, recordingSink, sleep, testEngine, type TestEngine } from '../../test/integration/support-observe';
import { median, quantile as p, recordFigure } from '../support/figures';
import { spawnKubectl } from '../support/kubectl';

/**
 * Speed, side by side with kubectl in the same run:
 *  - invoke: the engine's invoke.send (history write included) against the same GET sent through
 *    `kubectl proxy` with a keep-alive client; interleaved, medians compared (target: ≤ 2 ms more).
 *  - log line latency: kubelet timestamp -> the engine's logs.follow stream, beside `kubectl logs -f`
 *    (target: p95 ≤ 25 ms).
 */
let ns: string;
let engine: TestEngine;
let proxy: ChildProcess | undefined;
let proxyPort = 0;

beforeAll(async () => {
  ns = await createNamespace('invspeed');
  engine = await testEngine(ns);
  await deployWorkload(ns, 'speed');
  proxyPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    proxy = spawnKubectl(['proxy', '--port=0', '--address=127.0.0.1'], (line) => {
      out += line + '\n';
      const m = /127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    proxy.on('exit', () => reject(new Error(`kubectl proxy exited: ${out}`)));
  });
});

afterAll(async () => {
  proxy?.kill();
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('bench: invoke and log latency beside kubectl', () => {
  it('invoke adds little over the same request through kubectl proxy', async () => {
    const calls = invokeHandlers(engine.ctx).calls;
    const agent = new http.Agent({ keepAlive: true });
    const viaProxy = () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        http
          .get({ host: '127.0.0.1', port: proxyPort, path: `/api/v1/namespaces/${ns}/services/speed:http/proxy/`, agent }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    const viaEngine = async () => {
      const t0 = performance.now();
      const r = await calls['invoke.send'](InvokeRequest.parse({ function: 'speed', path: '/' }));
      expect(r.status).toBe(200);
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await Promise.all([viaProxy(), viaEngine()]); // warm both paths
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 2) {
        ours.push(await viaEngine());
        base.push(await viaProxy());
      } else {
        base.push(await viaProxy());
        ours.push(await viaEngine());
      }
    }
    agent.destroy();
    const delta = median(ours) - median(base);
    recordFigure({
      name: 'invoke GET, median of 200 (interleaved)',
      unit: 'ms',
      value: median(ours),
      baseline: { name: 'same GET through kubectl proxy', value: median(base) },
      target: { text: 'at most 2 ms over kubectl proxy', met: delta <= 2 },
      detail: `overhead ${delta.toFixed(2)} ms; p90 ${p(ours, 0.9).toFixed(2)} vs ${p(base, 0.9).toFixed(2)} ms`,
    });
  });

  it('a log line reaches the engine’s stream about as fast as kubectl logs -f', async () => {
    const logs = logsHandlers(engine.ctx);
    const calls = invokeHandlers(engine.ctx).calls;
    const sink = recordingSink<LogsBatch>();
    const done = logs.streams['logs.follow'](LogsFollowParams.parse({ function: 'speed', tailLines: 0 }), sink);
    const kubectlSeen = new Map<string, number>();
    const kl = spawnKubectl(['-n', ns, 'logs', '-f', '--timestamps', '--tail=0', 'deploy/speed-r1'], (line) => {
      const m = /^(\S+) .*(speed\d+) 1$/.exec(line);
      if (m) kubectlSeen.set(m[2]!, Date.now() - Date.parse(m[1]!));
    });
    await sink.until((ev) => ev.some((e) => e.status?.pods.some((s) => s.state === 'following')), 20_000, 'following');
    await sleep(1500); // kubectl attached too
    const ours: number[] = [];
    const theirs: number[] = [];
    /** Per line seen by both: how much later the engine had it than kubectl (the machine's own delays cancel). */
    const extra: number[] = [];
    for (let i = 0; i < 40; i++) {
      const tag = `speed${i}`;
      await calls['invoke.send'](InvokeRequest.parse({ function: 'speed', path: '/print', query: [{ name: 'n', value: '1' }, { name: 'tag', value: tag }] }));
      await sink.until((ev) => ev.some((e) => e.lines.some((l) => l.text.endsWith(` ${tag} 1`))), 10_000, tag);
      const ev = sink.events.find((e) => e.event.lines.some((l) => l.text.endsWith(` ${tag} 1`)))!;
      const line = ev.event.lines.find((l) => l.text.endsWith(` ${tag} 1`))!;
      ours.push(performance.timeOrigin + ev.at - Date.parse(line.ts));
      for (let w = 0; w < 50 && !kubectlSeen.has(tag); w++) await sleep(20);
      if (kubectlSeen.has(tag)) {
        theirs.push(kubectlSeen.get(tag)!);
        extra.push(ours.at(-1)! - kubectlSeen.get(tag)!);
      }
      await sleep(100);
    }
    kl.kill();
    sink.unsubscribe();
    await done;
    expect(theirs.length).toBeGreaterThan(0);
    recordFigure({
      name: 'log line latency p95, kubelet timestamp -> reader (40 lines)',
      unit: 'ms',
      value: p(ours, 0.95),
      baseline: { name: 'kubectl logs -f', value: p(theirs, 0.95) },
      target: { text: 'p95 <= 25 ms', met: p(ours, 0.95) <= 25 },
      detail: `p50 ${median(ours).toFixed(0)} vs ${median(theirs).toFixed(0)} ms; per line, later than kubectl by p50 ${median(extra).toFixed(0)} / p95 ${p(extra, 0.95).toFixed(0)} ms; kubectl saw ${theirs.length} of 40`,
    });
  });
});
