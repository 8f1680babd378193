import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsEvent, MetricsSample } from '../../../shared/contract/metrics';
import { FakeApi } from './fake-api.test-support';
import { MetricsSampler, type MetricsSubscriber } from './sampler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let api: FakeApi;
let stop: () => Promise<void> = async () => {};
afterEach(async () => {
  await stop();
  stop = async () => {};
});

/** A sampler over the fake API with one subscriber recording every sample it is sent. */
async function watch(setup: (api: FakeApi) => void, intervalMs: 1000 | 2000 = 1000) {
  api = new FakeApi('fn');
  setup(api);
  const conn = await api.start();
  const controller = new AbortController();
  const sampler = new MetricsSampler(conn, 'ns', 'fn', controller.signal);
  const samples: MetricsSample[] = [];
  const events: MetricsEvent[] = [];
  const sub: MetricsSubscriber = { intervalMs, emit: (e) => (events.push(e), samples.push(...e.samples)) };
  const unsubscribe = sampler.subscribe(sub);
  stop = async () => {
    unsubscribe();
    controller.abort();
    conn.destroy();
    await api.stop();
  };
  const until = async (what: string, ok: () => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; samples: ${JSON.stringify(samples.map((s) => [s.t, s.total]))}`);
      await sleep(20);
    }
  };
  return { sampler, samples, events, until, unsubscribe };
}

const requestsIn = (ss: MetricsSample[]) => ss.reduce((n, s) => n + s.total.requests, 0);

describe('MetricsSampler counts every call', () => {
  it('deploy, then at once 7 calls, then open metrics: the first sample and the totals count all 7', async () => {
    const now = Date.now();
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: now - 4000 });
      const p = a.pod('fn-r1-a', '1', (now - 3000) / 1000);
      a.call(p, 200, 5);
      a.call(p, 500, 2);
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    const first = w.samples[0]!;
    expect(first.total.requests).toBe(7);
    expect(first.total.errors).toBe(2);
    expect(first.total.rps).toBeGreaterThan(0);
    expect(first.total.sinceStart).toEqual({ requests: 7, errors: 2 });
    expect(first.perRevision['1']!.sinceStart).toEqual({ requests: 7, errors: 2 });
  });

  it('counts a pod that answers calls before Kubernetes calls it Ready (the Service publishes not-ready pods)', async () => {
    const now = Date.now();
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: now - 3000 });
      const p = a.pod('fn-r1-a', '1', (now - 2000) / 1000);
      p.ready = false; // its readiness probe has not passed yet, but the engine's deploy saw /readyz answer
      a.call(p, 200, 7);
      const starting = a.pod('fn-r1-b', '1', now / 1000);
      starting.running = false;
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    expect(w.samples[0]!.total.sinceStart).toEqual({ requests: 7, errors: 0 });
    expect(w.samples[0]!.total.podsReady).toBe(0);
    expect(w.events.flatMap((e) => e.problems)).toEqual([]); // a pod still starting is not a problem
  });

  it('a pod started long before: its calls are in the totals, not a spike in the first sample; later calls are counted once', async () => {
    const hourAgo = Date.now() - 3600_000;
    let pod!: ReturnType<FakeApi['pod']>;
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: hourAgo });
      pod = a.pod('fn-r1-a', '1', hourAgo / 1000);
      a.call(pod, 200, 1000);
      a.call(pod, 503, 10);
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    expect(w.samples[0]!.total.requests).toBe(0);
    expect(w.samples[0]!.total.rps).toBe(0);
    expect(w.samples[0]!.total.sinceStart).toEqual({ requests: 1010, errors: 10 });
    api.call(pod, 200, 3);
    await w.until('the 3 new calls', () => w.samples.at(-1)!.total.sinceStart.requests === 1013);
    expect(requestsIn(w.samples)).toBe(3);
  });

  it('a pod that starts while watched counts from zero, and a restarted process (new start time) counts again from zero', async () => {
    const w = await watch((a) => a.deployments.push({ revision: '2', replicas: 1, created: Date.now() - 3600_000 }));
    await w.until('two samples without pods', () => w.samples.length >= 2);
    const p = api.pod('fn-r2-a', '2', Date.now() / 1000);
    api.call(p, 200, 4);
    await w.until('the new pod', () => w.samples.at(-1)!.total.sinceStart.requests === 4);
    // The container restarts and its new process has answered 5 calls by the next scrape (more than
    // the 4 before, so only the changed start time tells that the counters began again from zero).
    p.startTime = Date.now() / 1000;
    p.byCode = new Map([[200, 5]]);
    p.durations = [0.01, 0.01, 0.01, 0.01, 0.01];
    await w.until('the restarted process', () => w.samples.at(-1)!.total.sinceStart.requests === 9);
    expect(requestsIn(w.samples)).toBe(9);
    expect(w.samples.at(-1)!.perRevision['2']!.sinceStart).toEqual({ requests: 9, errors: 0 });
  }, 30_000);

  it('sends every sample to the subscriber, even when ticks come closer together than the interval', async () => {
    let pod!: ReturnType<FakeApi['pod']>;
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: Date.now() - 3600_000 });
      pod = a.pod('fn-r1-a', '1', Date.now() / 1000 - 3600);
      // One slow listing, one fast: the ticks' own times come 400 ms apart, then 1600 ms.
      a.listDelays = [0, 600, 0, 600, 0, 600, 0, 600, 0];
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    const timer = setInterval(() => api.call(pod), 150);
    await w.until('six samples', () => w.samples.length >= 6);
    clearInterval(timer);
    const calls = [...pod.byCode.values()].reduce((a, b) => a + b, 0);
    await w.until('every call', () => w.samples.at(-1)!.total.sinceStart.requests === calls);
    // Each answered listing made one sample, and the subscriber got each of them.
    expect(w.samples.length).toBeGreaterThanOrEqual(api.listings - 1);
    expect(requestsIn(w.samples)).toBe(calls);
  }, 30_000);

  it('a slow CPU/memory read does not stretch the samples: two calls 1.5 s apart land in two samples', async () => {
    let pod!: ReturnType<FakeApi['pod']>;
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: Date.now() - 3600_000 });
      pod = a.pod('fn-r1-a', '1', Date.now() / 1000 - 3600);
      a.summaryDelayMs = 3000;
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    // The first call right after a scrape, the second 1.5 s later.
    const n = api.served.length;
    await w.until('a scrape', () => api.served.length > n);
    api.call(pod);
    await sleep(1500);
    api.call(pod);
    await w.until('both calls', () => w.samples.at(-1)!.total.sinceStart.requests === 2);
    const busy = w.samples.filter((s) => s.total.rps > 0);
    expect(busy.map((s) => s.total.requests)).toEqual([1, 1]);
  }, 30_000);

  it('stamps each sample with its scrape time and computes rates over the time elapsed between scrapes', async () => {
    let pod!: ReturnType<FakeApi['pod']>;
    const w = await watch((a) => {
      a.deployments.push({ revision: '1', replicas: 1, created: Date.now() - 3600_000 });
      pod = a.pod('fn-r1-a', '1', Date.now() / 1000 - 3600);
      a.metricsDelayMs = 300;
    });
    await w.until('the first sample', () => w.samples.length >= 1);
    api.call(pod, 200, 6);
    await w.until('the calls', () => w.samples.at(-1)!.total.sinceStart.requests === 6);
    // One pod, one scrape per tick: sample i comes from scrape i, so i + 1 scrapes were answered by its time.
    w.samples.forEach((s, i) => expect(api.served.filter((x) => x.at <= s.t).length).toBe(i + 1));
    const busy = w.samples.findIndex((s) => s.total.requests > 0);
    const [prev, cur] = [w.samples[busy - 1]!, w.samples[busy]!];
    expect(cur.total.rps).toBeCloseTo(6 / ((cur.t - prev.t) / 1000), 1);
  });
});
