/**
 * The gateway's Prometheus metrics, per function and revision: calls by status, calls in flight,
 * cold starts and their parts, desired pods and panic mode. Served on its ops port at /metrics.
 */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60];

type Labels = Record<string, string>;
const key = (l: Labels) =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

class Family {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}
  add(l: Labels, v = 1) {
    const k = key(l);
    this.values.set(k, (this.values.get(k) ?? 0) + v);
  }
  set(l: Labels, v: number) {
    this.values.set(key(l), v);
  }
  text(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...[...this.values].map(([k, v]) => `${this.name}{${k}} ${v}`)];
  }
}

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(l: Labels, seconds: number) {
    const k = key(l);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => seconds <= b && s.counts[i]!++);
    s.sum += seconds;
    s.count++;
  }
  text(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      BUCKETS.forEach((b, i) => out.push(`${this.name}_bucket{${k},le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${k},le="+Inf"} ${s.count}`, `${this.name}_sum{${k}} ${s.sum}`, `${this.name}_count{${k}} ${s.count}`);
    }
    return out;
  }
}

export class GatewayMetrics {
  readonly requests = new Family('funcdeck_gateway_requests_total', 'Calls the gateway answered or forwarded, by function, revision and HTTP status.', 'counter');
  readonly inFlight = new Family('funcdeck_gateway_requests_in_flight', 'Calls in flight (held for a pod or forwarded), by function and revision.', 'gauge');
  readonly coldStarts = new Family('funcdeck_gateway_cold_starts_total', 'Calls that waited for their revision to start from zero pods, by source (new-pod or warm-pool).', 'counter');
  readonly coldStartSeconds = new Histogram('funcdeck_gateway_cold_start_seconds', 'Where a cold start went, by part: scheduling, container_start, runtime_ready, first_byte, total.');
  readonly desiredPods = new Family('funcdeck_gateway_desired_pods', 'Pods the autoscaler asks for, by function and revision.', 'gauge');
  readonly panic = new Family('funcdeck_gateway_panic_mode', '1 while the autoscaler is in panic mode for a revision.', 'gauge');

  text(): string {
    return [...this.requests.text(), ...this.inFlight.text(), ...this.coldStarts.text(), ...this.coldStartSeconds.text(), ...this.desiredPods.text(), ...this.panic.text()].join('\n') + '\n';
  }
}
