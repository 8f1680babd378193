import { LABELS, RUNTIME_PORTS } from '../../../shared/contract';
import { METRICS_HISTORY_MS, type MetricsEvent, type MetricsSample, type PodUsage, type RequestMetrics } from '../../../shared/contract/metrics';
import { getJson, readAll, seg, type ApiConnection } from '../kube/api-connection';
import { kubeFailure } from '../kube/api-failure';
import { parsePromText } from './prom-text';
import { combine, podDelta, type PodDelta, type PodScrape } from './rates';
import { readRuntimeCounters } from './runtime-series';
import { UsageReader, type Usage } from './usage';
import { functionSelector } from '../deploy/names';

interface PodItem {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string | null };
  spec?: { nodeName?: string };
  status?: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
}
interface DeploymentItem {
  metadata?: { labels?: Record<string, string> };
  spec?: { replicas?: number };
}

export interface MetricsSubscriber {
  intervalMs: number;
  lastT: number;
  emit(event: MetricsEvent): void;
}

/**
 * Samples one function every second: pods and deployments listed, every ready pod's runtime
 * /metrics scraped through the pod proxy, rates and latency quantiles computed from the change since
 * the previous scrape, CPU and memory added. Keeps METRICS_HISTORY_MS of samples (also after the
 * last subscriber left, so reopening the chart shows the recent past).
 */
export class MetricsSampler {
  readonly history: MetricsSample[] = [];
  private readonly subscribers = new Set<MetricsSubscriber>();
  private readonly scrapes = new Map<string, PodScrape>();
  private controller: AbortController | null = null;
  private lastTick: number | null = null;
  private usage: UsageReader;
  private problems: string[] = [];

  constructor(
    private readonly conn: ApiConnection,
    private readonly namespace: string,
    private readonly fn: string,
    private readonly signal: AbortSignal,
  ) {
    this.usage = new UsageReader(conn, namespace);
  }

  subscribe(sub: MetricsSubscriber): () => void {
    sub.emit({ samples: this.history.slice(), reset: true, usageSource: this.usage.usageSource, problems: this.problems });
    this.subscribers.add(sub);
    if (!this.controller) this.run();
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) {
        this.controller?.abort();
        this.controller = null;
      }
    };
  }

  private run(): void {
    const controller = new AbortController();
    this.controller = controller;
    const signal = AbortSignal.any([controller.signal, this.signal]);
    // The previous round's scrapes are stale after a pause: start over so no rate spans the gap.
    this.scrapes.clear();
    this.lastTick = null;
    const loop = async () => {
      while (!signal.aborted) {
        const started = Date.now();
        const interval = Math.min(...[...this.subscribers].map((s) => s.intervalMs), 2000);
        try {
          const sample = await this.tick(signal);
          if (signal.aborted) break;
          this.history.push(sample);
          while (this.history.length && this.history[0]!.t < sample.t - METRICS_HISTORY_MS) this.history.shift();
          for (const s of this.subscribers) {
            if (sample.t - s.lastT < s.intervalMs - 150) continue;
            s.lastT = sample.t;
            safeEmit(s, { samples: [sample], reset: false, usageSource: this.usage.usageSource, problems: this.problems });
          }
        } catch (e) {
          if (signal.aborted) break;
          this.problems = [kubeFailure(e, this.conn.server, `read the metrics of "${this.fn}"`).message];
          for (const s of this.subscribers) safeEmit(s, { samples: [], reset: false, usageSource: this.usage.usageSource, problems: this.problems });
        }
        await sleep(Math.max(50, interval - (Date.now() - started)), signal);
      }
    };
    void loop();
  }

  /** One sample: exported for tests that drive the sampler by hand. */
  async tick(signal: AbortSignal): Promise<MetricsSample> {
    const selector = functionSelector(this.fn);
    const ns = seg(this.namespace);
    const [pods, deployments] = await Promise.all([
      getJson<{ items?: PodItem[] }>(this.conn, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`, signal),
      getJson<{ items?: DeploymentItem[] }>(this.conn, `/apis/apps/v1/namespaces/${ns}/deployments?labelSelector=${encodeURIComponent(selector)}`, signal),
    ]);
    const live = (pods.items ?? []).filter((p) => p.metadata?.name && !p.metadata.deletionTimestamp);
    const isReady = (p: PodItem) => Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const revisionOf = (labels?: Record<string, string>) => labels?.[LABELS.revision] ?? 'unknown';
    const problems: string[] = [];
    const now = Date.now();

    const [scraped, usage] = await Promise.all([
      Promise.all(
        live.filter(isReady).map(async (p) => {
          const name = p.metadata!.name!;
          try {
            const res = await this.conn.request({ path: `/api/v1/namespaces/${ns}/pods/${seg(name)}:${RUNTIME_PORTS.metrics}/proxy/metrics`, signal });
            const body = (await readAll(res, 8 * 1024 * 1024)).toString('utf8');
            if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
            return [name, { t: Date.now(), counters: readRuntimeCounters(parsePromText(body)) }] as const;
          } catch (e) {
            if (!signal.aborted) problems.push(`Could not read the metrics of pod ${name}: ${(e as Error).message}`);
            return null;
          }
        }),
      ),
      this.usage
        .read(new Map(live.map((p) => [p.metadata!.name!, p.spec?.nodeName])), selector, signal)
        .catch((e: unknown): Map<string, Usage> => {
          if (!signal.aborted) problems.push(`CPU and memory unavailable: ${(e as Error).message}`);
          return new Map();
        }),
    ]);

    const deltas = new Map<string, PodDelta>();
    for (const entry of scraped) {
      if (!entry) continue;
      const [name, scrape] = entry;
      const d = podDelta(this.scrapes.get(name), scrape, this.lastTick);
      if (d) deltas.set(name, d);
      this.scrapes.set(name, scrape);
    }
    for (const name of this.scrapes.keys()) if (!live.some((p) => p.metadata!.name === name)) this.scrapes.delete(name);
    this.lastTick = now;
    this.problems = problems;

    const revisions = new Set<string>();
    const desired = new Map<string, number>();
    for (const d of deployments.items ?? []) {
      const rev = revisionOf(d.metadata?.labels);
      revisions.add(rev);
      desired.set(rev, (desired.get(rev) ?? 0) + (d.spec?.replicas ?? 1));
    }
    for (const p of live) revisions.add(revisionOf(p.metadata?.labels));

    const group = (filter: (p: PodItem) => boolean, podsDesired: number): RequestMetrics => {
      const members = live.filter(filter);
      return combine(
        members.flatMap((p) => deltas.get(p.metadata!.name!) ?? []),
        members.reduce((n, p) => n + (this.scrapes.get(p.metadata!.name!)?.counters.inFlight ?? 0), 0),
        members.filter(isReady).length,
        podsDesired,
      );
    };
    const perRevision: Record<string, RequestMetrics> = {};
    for (const rev of [...revisions].sort()) {
      perRevision[rev] = group((p) => revisionOf(p.metadata?.labels) === rev, desired.get(rev) ?? live.filter((p) => revisionOf(p.metadata?.labels) === rev).length);
    }
    const totalDesired = [...revisions].reduce((n, r) => n + (perRevision[r]?.podsDesired ?? 0), 0);
    const podsOut: PodUsage[] = live.map((p) => {
      const name = p.metadata!.name!;
      const u = usage.get(name);
      return { pod: name, revision: p.metadata?.labels?.[LABELS.revision] ?? null, ready: isReady(p), cpuMillicores: u?.cpuMillicores ?? null, memoryBytes: u?.memoryBytes ?? null };
    });
    return { t: now, perRevision, total: group(() => true, totalDesired), pods: podsOut };
  }
}

/** One subscriber failing to take an event must not stop the sampler for the others. */
function safeEmit(s: MetricsSubscriber, e: MetricsEvent): void {
  try {
    s.emit(e);
  } catch {
    // closed or invalid: the stream's own end handling reports it
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
