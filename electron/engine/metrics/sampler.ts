import { LABELS, RUNTIME_PORTS } from '../../../shared/contract';
import { METRICS_HISTORY_MS, type MetricsEvent, type MetricsSample, type PodUsage, type RequestMetrics } from '../../../shared/contract/metrics';
import { getJson, readAll, seg, type ApiConnection } from '../kube/api-connection';
import { kubeFailure } from '../kube/api-failure';
import { parsePromText } from './prom-text';
import { combine } from './rates';
import { RequestTally, runBaseline, type PodReading } from './tally';
import { readRuntimeCounters } from './runtime-series';
import { UsageReader, type Usage } from './usage';
import { functionSelector } from '../deploy/names';
import { GatewayColdStarts } from './gateway-cold-starts';

interface PodItem {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string | null };
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
}
interface DeploymentItem {
  metadata?: { labels?: Record<string, string>; creationTimestamp?: string };
  spec?: { replicas?: number };
}

export interface MetricsSubscriber {
  intervalMs: number;
  emit(event: MetricsEvent): void;
}

/** Deadlines: a scrape or listing that hangs must not stop the samples; CPU/memory may be slower. */
const LIST_DEADLINE_MS = 10_000;
const SCRAPE_DEADLINE_MS = 3_000;
const USAGE_DEADLINE_MS = 15_000;

/**
 * Samples one function every second: pods and deployments listed, every ready pod's runtime
 * /metrics scraped through the pod proxy, calls counted by RequestTally (each call in one sample,
 * totals since the pods started), latency quantiles from the histogram's change, CPU and memory
 * added from the latest reading (read beside the samples, so a slow kubelet does not stretch them).
 * Each sample is stamped with its scrape time. Keeps METRICS_HISTORY_MS of samples (also after the
 * last subscriber left, so reopening the chart shows the recent past).
 */
export class MetricsSampler {
  readonly history: MetricsSample[] = [];
  private readonly subscribers = new Set<MetricsSubscriber>();
  private readonly tally = new RequestTally();
  private controller: AbortController | null = null;
  private runStartedAt = Date.now();
  private firstTickOfRun = true;
  private usage: UsageReader;
  private usageLatest = new Map<string, Usage>();
  private usageReading = false;
  private usageProblem: string | null = null;
  private problems: string[] = [];
  /** Cold starts of the function's revisions, from the namespace gateway's metrics. */
  private readonly coldStarts: GatewayColdStarts;

  constructor(
    private readonly conn: ApiConnection,
    private readonly namespace: string,
    private readonly fn: string,
    private readonly signal: AbortSignal,
  ) {
    this.usage = new UsageReader(conn, namespace);
    this.coldStarts = new GatewayColdStarts(conn, namespace, fn);
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
    // After a pause, calls made meanwhile go to the totals only, so no sample spans the gap.
    this.runStartedAt = Date.now();
    this.firstTickOfRun = true;
    const loop = async () => {
      while (!signal.aborted) {
        const started = Date.now();
        const interval = Math.min(...[...this.subscribers].map((s) => s.intervalMs), 2000);
        try {
          const sample = await this.tick(signal);
          if (signal.aborted) break;
          this.history.push(sample);
          while (this.history.length && this.history[0]!.t < sample.t - METRICS_HISTORY_MS) this.history.shift();
          // Every subscriber gets every sample: a skipped one would lose the calls it counted.
          for (const s of this.subscribers) safeEmit(s, { samples: [sample], reset: false, usageSource: this.usage.usageSource, problems: this.problems });
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
    const listSignal = AbortSignal.any([signal, AbortSignal.timeout(LIST_DEADLINE_MS)]);
    const [pods, deployments] = await Promise.all([
      getJson<{ items?: PodItem[] }>(this.conn, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`, listSignal),
      getJson<{ items?: DeploymentItem[] }>(this.conn, `/apis/apps/v1/namespaces/${ns}/deployments?labelSelector=${encodeURIComponent(selector)}`, listSignal),
    ]);
    const listed = (pods.items ?? []).filter((p) => p.metadata?.name);
    const live = listed.filter((p) => !p.metadata!.deletionTimestamp);
    const isReady = (p: PodItem) => Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const revisionOf = (labels?: Record<string, string>) => labels?.[LABELS.revision] ?? 'unknown';
    if (this.firstTickOfRun) {
      this.tally.startRun(runBaseline(this.runStartedAt, deployments.items ?? []));
      this.firstTickOfRun = false;
    }
    const problems: string[] = [];

    // Every running pod, not only Ready ones: the Service publishes not-ready addresses (a new revision
    // takes calls once the engine saw its /readyz, before the kubelet's probe says so). Terminating
    // pods only if already counted (they finish their last calls).
    const running = (p: PodItem) => p.status?.phase === 'Running' && Boolean(p.status.podIP);
    const targets = listed.filter((p) => running(p) && (p.metadata!.deletionTimestamp ? this.tally.has(p.metadata!.name!) : true));
    const coldRead = this.coldStarts.read(AbortSignal.any([signal, AbortSignal.timeout(SCRAPE_DEADLINE_MS)])).catch(() => new Map<string, { count: number; meanMs: number | null }>());
    const scraped = await Promise.all(
      targets.map(async (p): Promise<PodReading | null> => {
        const name = p.metadata!.name!;
        try {
          const scrapeSignal = AbortSignal.any([signal, AbortSignal.timeout(SCRAPE_DEADLINE_MS)]);
          const res = await this.conn.request({ path: `/api/v1/namespaces/${ns}/pods/${seg(name)}:${RUNTIME_PORTS.metrics}/proxy/metrics`, signal: scrapeSignal });
          const body = (await readAll(res, 8 * 1024 * 1024)).toString('utf8');
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
          return { pod: name, revision: revisionOf(p.metadata?.labels), scrape: { t: Date.now(), counters: readRuntimeCounters(parsePromText(body)) } };
        } catch (e) {
          // A pod still starting or going away has nothing to say yet (or any more): not a problem.
          if (!signal.aborted && !p.metadata!.deletionTimestamp && isReady(p)) problems.push(`Could not read the metrics of pod ${name}: ${(e as Error).message}`);
          return null;
        }
      }),
    );
    this.refreshUsage(new Map(live.map((p) => [p.metadata!.name!, p.spec?.nodeName])), selector, signal);
    if (this.usageProblem) problems.push(this.usageProblem);

    const readings = scraped.filter((r): r is PodReading => r !== null);
    // The sample ends when its counters were read.
    const t = readings.length ? Math.max(...readings.map((r) => r.scrape.t)) : Date.now();
    const deltas = this.tally.observe(readings, t);
    this.tally.retire(new Set(listed.map((p) => p.metadata!.name!)));
    this.problems = problems;

    const revisions = new Set<string>();
    const desired = new Map<string, number>();
    for (const d of deployments.items ?? []) {
      const rev = revisionOf(d.metadata?.labels);
      revisions.add(rev);
      desired.set(rev, (desired.get(rev) ?? 0) + (d.spec?.replicas ?? 1));
    }
    for (const p of live) revisions.add(revisionOf(p.metadata?.labels));

    const inFlightOf = (r: PodReading) => r.scrape.counters.inFlight;
    const group = (revision: string | null, podsDesired: number): RequestMetrics => {
      const inGroup = (labels?: Record<string, string>) => revision === null || revisionOf(labels) === revision;
      const members = readings.filter((r) => revision === null || r.revision === revision);
      return combine(
        members.flatMap((r) => deltas.get(r.pod) ?? []),
        members.reduce((n, r) => n + inFlightOf(r), 0),
        live.filter((p) => inGroup(p.metadata?.labels) && isReady(p)).length,
        podsDesired,
        this.tally.totals(revision),
      );
    };
    const perRevision: Record<string, RequestMetrics> = {};
    for (const rev of [...revisions].sort()) {
      perRevision[rev] = group(rev, desired.get(rev) ?? live.filter((p) => revisionOf(p.metadata?.labels) === rev).length);
    }
    const totalDesired = [...revisions].reduce((n, r) => n + (perRevision[r]?.podsDesired ?? 0), 0);
    const podsOut: PodUsage[] = live.map((p) => {
      const name = p.metadata!.name!;
      const u = this.usageLatest.get(name);
      return { pod: name, revision: p.metadata?.labels?.[LABELS.revision] ?? null, ready: isReady(p), cpuMillicores: u?.cpuMillicores ?? null, memoryBytes: u?.memoryBytes ?? null };
    });
    const total = group(null, totalDesired);
    const cold = await coldRead;
    let coldCount = 0;
    let coldMs = 0;
    for (const [rev, c] of cold) {
      const m = perRevision[rev];
      if (!m) continue;
      m.coldStarts = c.count;
      m.coldStartMs = c.meanMs;
      coldCount += c.count;
      coldMs += c.count * (c.meanMs ?? 0);
    }
    if (cold.size) Object.assign(total, { coldStarts: coldCount, coldStartMs: coldCount ? Math.round(coldMs / coldCount) : null });
    return { t, perRevision, total, pods: podsOut };
  }

  /** Reads CPU and memory beside the samples (one reading at a time); samples use the latest. */
  private refreshUsage(pods: Map<string, string | undefined>, selector: string, signal: AbortSignal): void {
    if (this.usageReading) return;
    this.usageReading = true;
    const usageSignal = AbortSignal.any([signal, AbortSignal.timeout(USAGE_DEADLINE_MS)]);
    this.usage
      .read(pods, selector, usageSignal)
      .then(
        (m) => {
          this.usageLatest = m;
          this.usageProblem = null;
        },
        (e: unknown) => {
          if (!signal.aborted) this.usageProblem = `CPU and memory unavailable: ${(e as Error).message}`;
        },
      )
      .finally(() => (this.usageReading = false));
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
