import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LABELS, RUNTIME_PORTS } from '../../../shared/contract';
import type { ApiConnection } from '../kube/api-connection';

/**
 * A stand-in API server for the sampler's unit tests, over real HTTP: lists a function's pods and
 * Deployments, answers each pod's /metrics (through the pod-proxy path) in the runtime servers'
 * exposition format, and the kubelet summary. Delays are set per test to reproduce a slow cluster.
 */
export interface FakePod {
  name: string;
  revision: string;
  ready: boolean;
  /** False while the container has not started (no pod IP, nothing to scrape). */
  running?: boolean;
  /** process_start_time_seconds */
  startTime: number;
  byCode: Map<number, number>;
  /** Handler durations, seconds, one per call. */
  durations: number[];
  deleting?: boolean;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The runtime servers' exposition (electron/engine/runtimes/nodejs/server.cjs metricsText()). */
export function runtimeExposition(fn: string, p: FakePod): string {
  const labels = `function="${fn}",revision="${p.revision}"`;
  const lines = ['# HELP funcdeck_requests_total Calls handled, by HTTP status code.', '# TYPE funcdeck_requests_total counter'];
  for (const [code, n] of [...p.byCode].sort((a, b) => a[0] - b[0])) lines.push(`funcdeck_requests_total{${labels},code="${code}"} ${n}`);
  lines.push('# HELP funcdeck_request_duration_seconds Time spent in the handler, per call.', '# TYPE funcdeck_request_duration_seconds histogram');
  for (const b of BUCKETS) lines.push(`funcdeck_request_duration_seconds_bucket{${labels},le="${b}"} ${p.durations.filter((d) => d <= b).length}`);
  lines.push(`funcdeck_request_duration_seconds_bucket{${labels},le="+Inf"} ${p.durations.length}`);
  lines.push(`funcdeck_request_duration_seconds_sum{${labels}} ${p.durations.reduce((a, b) => a + b, 0)}`);
  lines.push(`funcdeck_request_duration_seconds_count{${labels}} ${p.durations.length}`);
  lines.push('# HELP funcdeck_requests_in_flight Calls being handled right now.', '# TYPE funcdeck_requests_in_flight gauge', `funcdeck_requests_in_flight{${labels}} 0`);
  lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.', '# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${p.startTime}`);
  return lines.join('\n') + '\n';
}

export class FakeApi {
  pods: FakePod[] = [];
  deployments: Array<{ revision: string; replicas: number; created: number }> = [];
  /** Delay of the n-th pod listing (ms); the last entry repeats. */
  listDelays: number[] = [0];
  metricsDelayMs = 0;
  summaryDelayMs = 0;
  /** Times (ms) at which a pod's /metrics answer was sent. */
  readonly served: Array<{ pod: string; at: number }> = [];
  listings = 0;
  private server!: http.Server;

  constructor(readonly fn: string) {}

  pod(name: string, revision: string, startTime: number): FakePod {
    const p: FakePod = { name, revision, ready: true, startTime, byCode: new Map(), durations: [] };
    this.pods.push(p);
    return p;
  }

  /** Records `n` calls answered with `code` by pod `p`. */
  call(p: FakePod, code = 200, n = 1, seconds = 0.02): void {
    p.byCode.set(code, (p.byCode.get(code) ?? 0) + n);
    for (let i = 0; i < n; i++) p.durations.push(seconds);
  }

  async start(): Promise<ApiConnection> {
    this.server = http.createServer((req, res) => void this.answer(req.url ?? '', res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const port = (this.server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true });
    return {
      server: `http://127.0.0.1:${port}`,
      request: (r) =>
        new Promise((resolve, reject) => {
          const q = http.request({ host: '127.0.0.1', port, path: r.path, method: r.method ?? 'GET', agent, signal: r.signal }, resolve);
          q.on('error', reject);
          q.end();
        }),
      destroy: () => agent.destroy(),
    };
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async answer(url: string, res: http.ServerResponse): Promise<void> {
    const json = (body: unknown, status = 200) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const path = url.split('?')[0]!;
    if (/^\/api\/v1\/namespaces\/[^/]+\/pods$/.test(path)) {
      await pause(this.listDelays[Math.min(this.listings++, this.listDelays.length - 1)]!);
      return json({
        items: this.pods.map((p) => ({
          metadata: { name: p.name, labels: { [LABELS.function]: this.fn, [LABELS.revision]: p.revision }, ...(p.deleting ? { deletionTimestamp: new Date().toISOString() } : {}) },
          spec: { nodeName: 'node-1' },
          status: p.running === false ? { phase: 'Pending' } : { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }] },
        })),
      });
    }
    if (/^\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments$/.test(path)) {
      return json({
        items: this.deployments.map((d) => ({
          metadata: { name: `${this.fn}-r${d.revision}`, labels: { [LABELS.function]: this.fn, [LABELS.revision]: d.revision }, creationTimestamp: new Date(d.created).toISOString().replace(/\.\d+Z$/, 'Z') },
          spec: { replicas: d.replicas },
        })),
      });
    }
    const scrape = new RegExp(`^/api/v1/namespaces/[^/]+/pods/([^/:]+):${RUNTIME_PORTS.metrics}/proxy/metrics$`).exec(path);
    if (scrape) {
      await pause(this.metricsDelayMs);
      const p = this.pods.find((x) => x.name === decodeURIComponent(scrape[1]!));
      if (!p || p.running === false) return json({ kind: 'Status', message: 'no endpoint' }, 503);
      this.served.push({ pod: p.name, at: Date.now() });
      return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(runtimeExposition(this.fn, p));
    }
    if (path === '/api/v1/nodes/node-1/proxy/stats/summary') {
      await pause(this.summaryDelayMs);
      return json({ pods: [] });
    }
    json({ kind: 'Status', message: 'not found' }, 404);
  }
}
