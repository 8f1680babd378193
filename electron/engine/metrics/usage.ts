import { getJson, seg, ApiStatusError, type ApiConnection } from '../kube/api-connection';

/** CPU (millicores) and memory (bytes) of one pod; null where unknown. */
export interface Usage {
  cpuMillicores: number | null;
  memoryBytes: number | null;
}

export type UsageSource = 'metrics.k8s.io' | 'kubelet' | 'none';

/** Kubernetes quantity ("250m", "12345n", "1.5", "64Mi", "1G") as a number of base units. */
export function parseQuantity(q: string): number | null {
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return null;
  const v = Number(m[1]);
  const mult: Record<string, number> = {
    n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
  };
  return v * (m[2] ? mult[m[2]]! : 1);
}

interface PodMetricsList {
  items?: Array<{ metadata?: { name?: string }; containers?: Array<{ usage?: { cpu?: string; memory?: string } }> }>;
}

interface SummaryStats {
  cpu?: { time?: string; usageNanoCores?: number; usageCoreNanoSeconds?: number };
  memory?: { workingSetBytes?: number };
}
interface SummaryPod extends SummaryStats {
  podRef?: { name?: string; namespace?: string };
  containers?: SummaryStats[];
}

/**
 * A pod's stats as the sum of its containers' (the pod-level cgroup figures read 0 for a while on
 * some kubelets), falling back to the pod level.
 */
export function podStats(p: SummaryPod): SummaryStats {
  const cs = (p.containers ?? []).filter((c) => c.cpu?.usageCoreNanoSeconds !== undefined || c.memory?.workingSetBytes !== undefined);
  if (cs.length === 0) return p;
  let time = '';
  let nanos = 0;
  let cores = 0;
  let mem = 0;
  for (const c of cs) {
    if ((c.cpu?.time ?? '') > time) time = c.cpu!.time!;
    nanos += c.cpu?.usageCoreNanoSeconds ?? 0;
    cores += c.cpu?.usageNanoCores ?? 0;
    mem += c.memory?.workingSetBytes ?? 0;
  }
  return { cpu: { time, usageCoreNanoSeconds: nanos, usageNanoCores: cores }, memory: { workingSetBytes: mem } };
}

/**
 * Pod CPU and memory: from metrics.k8s.io when that API exists (metrics-server), else from each
 * node's kubelet summary through the API server's node proxy, where CPU is the rate of
 * usageCoreNanoSeconds between two summaries (usageNanoCores until there are two).
 */
export class UsageReader {
  private source: UsageSource | null = null;
  private lastCpu = new Map<string, { time: number; nanos: number; millicores: number | null }>();

  constructor(
    private readonly conn: ApiConnection,
    private readonly namespace: string,
  ) {}

  get usageSource(): UsageSource {
    return this.source ?? 'none';
  }

  private async detect(signal?: AbortSignal): Promise<UsageSource> {
    if (this.source) return this.source;
    try {
      await getJson(this.conn, '/apis/metrics.k8s.io/v1beta1', signal);
      this.source = 'metrics.k8s.io';
    } catch (e) {
      // 404/503: no metrics-server (or it is not ready); the kubelet summary works on any node.
      if (!(e instanceof ApiStatusError)) throw e;
      this.source = 'kubelet';
    }
    return this.source;
  }

  /** Usage of the given pods (name -> node); pods without data are absent from the answer. */
  async read(pods: Map<string, string | undefined>, labelSelector: string, signal?: AbortSignal): Promise<Map<string, Usage>> {
    const out = new Map<string, Usage>();
    if (pods.size === 0) return out;
    const source = await this.detect(signal);
    if (source === 'metrics.k8s.io') {
      const list = await getJson<PodMetricsList>(
        this.conn,
        `/apis/metrics.k8s.io/v1beta1/namespaces/${seg(this.namespace)}/pods?labelSelector=${encodeURIComponent(labelSelector)}`,
        signal,
      );
      for (const item of list.items ?? []) {
        const name = item.metadata?.name;
        if (!name || !pods.has(name)) continue;
        let cpu = 0;
        let mem = 0;
        for (const c of item.containers ?? []) {
          cpu += parseQuantity(c.usage?.cpu ?? '0') ?? 0;
          mem += parseQuantity(c.usage?.memory ?? '0') ?? 0;
        }
        out.set(name, { cpuMillicores: Math.round(cpu * 1000 * 10) / 10, memoryBytes: Math.round(mem) });
      }
      return out;
    }
    const nodes = new Set([...pods.values()].filter((n): n is string => Boolean(n)));
    await Promise.all(
      [...nodes].map(async (node) => {
        const summary = await getJson<{ pods?: SummaryPod[] }>(this.conn, `/api/v1/nodes/${seg(node)}/proxy/stats/summary`, signal);
        for (const p of summary.pods ?? []) {
          const name = p.podRef?.name;
          if (!name || p.podRef?.namespace !== this.namespace || !pods.has(name)) continue;
          const stats = podStats(p);
          out.set(name, { cpuMillicores: this.cpuOf(name, stats), memoryBytes: stats.memory?.workingSetBytes ?? null });
        }
      }),
    );
    for (const name of this.lastCpu.keys()) if (!pods.has(name)) this.lastCpu.delete(name);
    return out;
  }

  private cpuOf(pod: string, p: SummaryStats): number | null {
    const time = p.cpu?.time ? Date.parse(p.cpu.time) : NaN;
    const nanos = p.cpu?.usageCoreNanoSeconds;
    const instant = p.cpu?.usageNanoCores !== undefined ? Math.round(p.cpu.usageNanoCores / 1e5) / 10 : null;
    if (Number.isNaN(time) || nanos === undefined) return instant;
    const prev = this.lastCpu.get(pod);
    if (prev && time === prev.time) return prev.millicores; // the kubelet has not refreshed its stats yet
    let millicores = instant;
    if (prev && time > prev.time && nanos >= prev.nanos) {
      millicores = Math.round(((nanos - prev.nanos) / ((time - prev.time) * 1e6)) * 1000 * 10) / 10;
    }
    this.lastCpu.set(pod, { time, nanos, millicores });
    return millicores;
  }
}
