import { GATEWAY_NAME } from '../gateway/manifests';
import { OPS_PORT } from '../gateway/shared/constants';
import { readAll, seg, type ApiConnection } from '../kube/api-connection';
import { parsePromText, type PromSample } from './prom-text';

/**
 * Cold starts of one function's revisions, from the namespace gateway's Prometheus metrics (read
 * through the API server's service proxy). Per revision: how many calls paid a cold start since the
 * previous read, and their mean total time. A namespace without a gateway is asked again only every 10 s.
 */
export interface ColdStartCounters {
  /** revision -> [cold starts, seconds summed] */
  byRevision: Map<string, [number, number]>;
}

export function readColdStartCounters(samples: PromSample[], fn: string): ColdStartCounters {
  const byRevision = new Map<string, [number, number]>();
  const at = (rev: string) => byRevision.get(rev) ?? (byRevision.set(rev, [0, 0]), byRevision.get(rev)!);
  for (const s of samples) {
    if (s.labels.function !== fn || !s.labels.revision) continue;
    if (s.name === 'funcdeck_gateway_cold_start_seconds_count' && s.labels.part === 'total') at(s.labels.revision)[0] += s.value;
    if (s.name === 'funcdeck_gateway_cold_start_seconds_sum' && s.labels.part === 'total') at(s.labels.revision)[1] += s.value;
  }
  return { byRevision };
}

/** What happened between two reads; a counter that went down is a restarted gateway, so all of it is new. */
export function coldStartDelta(prev: ColdStartCounters | null, cur: ColdStartCounters): Map<string, { count: number; meanMs: number | null }> {
  const out = new Map<string, { count: number; meanMs: number | null }>();
  if (!prev) return out;
  for (const [rev, [n, sum]] of cur.byRevision) {
    const [pn, psum] = prev.byRevision.get(rev) ?? [0, 0];
    const restarted = n < pn;
    const count = restarted ? n : n - pn;
    const secs = restarted ? sum : sum - psum;
    out.set(rev, { count, meanMs: count > 0 ? Math.round((secs / count) * 1000) : null });
  }
  return out;
}

export class GatewayColdStarts {
  private prev: ColdStartCounters | null = null;
  private absentUntil = 0;

  constructor(
    private readonly conn: ApiConnection,
    private readonly namespace: string,
    private readonly fn: string,
  ) {}

  async read(signal: AbortSignal): Promise<Map<string, { count: number; meanMs: number | null }>> {
    if (Date.now() < this.absentUntil) return new Map();
    const res = await this.conn.request({ path: `/api/v1/namespaces/${seg(this.namespace)}/services/${GATEWAY_NAME}:${OPS_PORT}/proxy/metrics`, signal });
    const body = (await readAll(res, 8 * 1024 * 1024)).toString('utf8');
    if (res.statusCode !== 200) {
      this.prev = null;
      this.absentUntil = Date.now() + 10_000;
      return new Map();
    }
    const cur = readColdStartCounters(parsePromText(body), this.fn);
    const delta = coldStartDelta(this.prev, cur);
    this.prev = cur;
    return delta;
  }
}
