import { METRICS_HISTORY_MS, type RequestCounts } from '../../../shared/contract/metrics';
import { addCounts, countsOf, increase, restartedBetween, type PodDelta, type PodScrape } from './rates';

export interface PodReading {
  pod: string;
  revision: string;
  scrape: PodScrape;
}

interface PodState {
  revision: string;
  last: PodScrape;
  /** Calls this pod answered since its first process started, as far as its scrapes showed. */
  counted: RequestCounts;
  /** Scraped in the current run: the next scrape's increase belongs in the next sample. */
  watched: boolean;
}

const ZERO: RequestCounts = { requests: 0, errors: 0 };

/**
 * Counts a function's calls from its pods' counters, so that each call is in exactly one sample and
 * in the totals:
 * - a pod's increase between two scrapes of one run goes in the sample of the second scrape;
 * - a process not yet counted (a new pod, or a restarted container) counts from zero when it started
 *   at or after the run's baseline (the sampler's start, or the function's recent deploy): all its
 *   calls were made while watched, including before its first scrape;
 * - everything else (calls before the run, or while paused) goes to the totals only, which therefore
 *   say how many calls the pods answered since they started, whenever the metrics were opened.
 */
export class RequestTally {
  private readonly pods = new Map<string, PodState>();
  /** Totals of pods that have gone, by revision. */
  private readonly gone = new Map<string, RequestCounts>();
  private baseline = 0;
  private lastSampleT: number | null = null;

  /** Starts or resumes watching: calls before `baseline` (ms) go to the totals only. */
  startRun(baseline: number): void {
    this.baseline = baseline;
    this.lastSampleT = null;
    for (const p of this.pods.values()) p.watched = false;
  }

  has(pod: string): boolean {
    return this.pods.has(pod);
  }

  /** Takes one round of scrapes ending the sample at `t`; answers each pod's calls within the sample. */
  observe(readings: PodReading[], t: number): Map<string, PodDelta> {
    const sampleStart = this.lastSampleT ?? this.baseline;
    const deltas = new Map<string, PodDelta>();
    for (const { pod, revision, scrape } of readings) {
      const prev = this.pods.get(pod);
      const inc = increase(prev?.last.counters, scrape.counters);
      const newProcess = !prev || restartedBetween(prev.last.counters, scrape.counters);
      if (prev?.watched) {
        deltas.set(pod, { ...inc, seconds: Math.max(0.001, (scrape.t - prev.last.t) / 1000) });
      } else if (newProcess && scrape.counters.startTime !== null && scrape.counters.startTime * 1000 >= this.baseline) {
        deltas.set(pod, { ...inc, seconds: Math.max(0.001, (scrape.t - sampleStart) / 1000) });
      }
      this.pods.set(pod, { revision, last: scrape, counted: addCounts(prev?.counted ?? ZERO, countsOf(inc.byCode)), watched: true });
    }
    this.lastSampleT = t;
    return deltas;
  }

  /** Forgets pods that are no longer listed; what they answered stays in their revision's total. */
  retire(listed: Set<string>): void {
    for (const [pod, state] of this.pods) {
      if (listed.has(pod)) continue;
      this.gone.set(state.revision, addCounts(this.gone.get(state.revision) ?? ZERO, state.counted));
      this.pods.delete(pod);
    }
  }

  /** Calls since the pods started: of one revision, or of all (null). */
  totals(revision: string | null): RequestCounts {
    let sum = ZERO;
    for (const [rev, c] of this.gone) if (revision === null || rev === revision) sum = addCounts(sum, c);
    for (const p of this.pods.values()) if (revision === null || p.revision === revision) sum = addCounts(sum, p.counted);
    return sum;
  }
}

/**
 * Where a run's counting starts: when it began, or at the function's newest deploy when that was
 * within the kept history, so calls made between a deploy and opening the metrics are in the samples.
 */
export function runBaseline(runStartedAt: number, deployments: Array<{ metadata?: { creationTimestamp?: string } }>): number {
  const created = deployments.map((d) => Date.parse(d.metadata?.creationTimestamp ?? '')).filter((n) => !Number.isNaN(n));
  const newest = created.length ? Math.max(...created) : null;
  return newest !== null && newest <= runStartedAt && runStartedAt - newest <= METRICS_HISTORY_MS ? newest : runStartedAt;
}
