import { FuncdeckError } from '../../../shared/contract/errors';
import type { BuildDiagnostic, DeployProgress, DeployStep, DeployStepId } from '../../../shared/contract/functions';

const STEP_LABELS: Record<DeployStepId, string> = {
  validate: 'Validate',
  build: 'Build',
  apply: 'Apply',
  rollout: 'Roll out',
  ready: 'Ready',
};
const MAX_LOG_LINES = 5000;
const KEEP_FINISHED_MS = 10 * 60_000;
const MAX_RECORDS = 50;

type Snapshot = Omit<DeployProgress, 'buildLog' | 'final'>;

/** One deploy's progress: steps with timings, the build log, and how it ended. */
export class DeployRecord {
  readonly state: Snapshot;
  readonly log: string[] = [];
  /** Lines dropped from the front when the log grew past MAX_LOG_LINES. */
  dropped = 0;
  finishedAt: number | null = null;
  private started = new Map<DeployStepId, number>();
  private listeners = new Set<() => void>();

  constructor(deployId: string, name: string) {
    this.state = {
      deployId,
      name,
      revision: null,
      phase: 'running',
      steps: (Object.keys(STEP_LABELS) as DeployStepId[]).map((id) => ({ id, label: STEP_LABELS[id], state: 'pending', ms: null, detail: null })),
      reason: null,
      lastLogLines: [],
      diagnostics: [],
    };
  }

  get done(): boolean {
    return this.finishedAt !== null;
  }

  private step(id: DeployStepId): DeployStep {
    return this.state.steps.find((s) => s.id === id)!;
  }

  begin(id: DeployStepId, detail: string | null = null): void {
    const s = this.step(id);
    this.started.set(id, Date.now());
    Object.assign(s, { state: 'running', ms: 0, detail });
    this.changed();
  }

  detail(id: DeployStepId, detail: string): void {
    this.step(id).detail = detail;
    this.changed();
  }

  end(id: DeployStepId, state: 'done' | 'failed' | 'skipped', detail?: string | null): void {
    const s = this.step(id);
    const t0 = this.started.get(id);
    s.state = state;
    s.ms = t0 === undefined ? (state === 'skipped' ? null : 0) : Date.now() - t0;
    if (detail !== undefined) s.detail = detail;
    this.changed();
  }

  setRevision(n: number): void {
    this.state.revision = n;
    this.changed();
  }

  setDiagnostics(d: BuildDiagnostic[]): void {
    this.state.diagnostics = d;
    this.changed();
  }

  appendLog(lines: string[]): void {
    this.log.push(...lines);
    if (this.log.length > MAX_LOG_LINES) {
      const cut = this.log.length - MAX_LOG_LINES;
      this.log.splice(0, cut);
      this.dropped += cut;
    }
    this.changed();
  }

  finish(phase: 'ready' | 'failed', reason: string | null = null, lastLogLines: string[] = []): void {
    if (this.done) return;
    // Whatever was still running or pending ends with the deploy.
    for (const s of this.state.steps) {
      if (s.state === 'running') this.end(s.id, phase === 'ready' ? 'done' : 'failed');
      else if (s.state === 'pending') s.state = phase === 'ready' ? 'done' : 'skipped';
    }
    Object.assign(this.state, { phase, reason, lastLogLines });
    this.finishedAt = Date.now();
    this.changed();
  }

  /** Running steps report their elapsed time so far. */
  snapshot(): Snapshot {
    const now = Date.now();
    return {
      ...this.state,
      steps: this.state.steps.map((s) => (s.state === 'running' ? { ...s, ms: now - (this.started.get(s.id) ?? now) } : { ...s })),
      lastLogLines: [...this.state.lastLogLines],
      diagnostics: [...this.state.diagnostics],
    };
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** Deploys in progress and recently finished, so deploy.progress can replay them to a late subscriber. */
export class DeployTracker {
  private records = new Map<string, DeployRecord>();
  private waiting = new Map<string, Set<(r: DeployRecord) => void>>();

  start(deployId: string, name: string): DeployRecord {
    if (this.records.has(deployId)) throw new FuncdeckError('CONFLICT', `Deploy id ${deployId} is already in use; use a fresh id for each deploy.`);
    this.prune();
    const r = new DeployRecord(deployId, name);
    this.records.set(deployId, r);
    for (const w of this.waiting.get(deployId) ?? []) w(r);
    this.waiting.delete(deployId);
    return r;
  }

  get(deployId: string): DeployRecord | undefined {
    return this.records.get(deployId);
  }

  /** The record, waiting up to `ms` for a deploy that the UI subscribed to before starting it. */
  async await(deployId: string, ms: number, signal: AbortSignal): Promise<DeployRecord | null> {
    const have = this.records.get(deployId);
    if (have) return have;
    return new Promise((resolve) => {
      const set = this.waiting.get(deployId) ?? new Set();
      this.waiting.set(deployId, set);
      const done = (r: DeployRecord | null) => {
        clearTimeout(timer);
        set.delete(got);
        resolve(r);
      };
      const got = (r: DeployRecord) => done(r);
      set.add(got);
      const timer = setTimeout(() => done(null), ms);
      signal.addEventListener('abort', () => done(null), { once: true });
    });
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, r] of this.records) if (r.finishedAt !== null && now - r.finishedAt > KEEP_FINISHED_MS) this.records.delete(id);
    while (this.records.size >= MAX_RECORDS) {
      const oldest = [...this.records.entries()].find(([, r]) => r.done) ?? [...this.records.entries()][0];
      if (!oldest) break;
      this.records.delete(oldest[0]);
    }
  }
}

/** Streams one record: everything so far first, then changes at most every `intervalMs`, ending after the final state. */
export async function streamDeploy(record: DeployRecord, emit: (e: DeployProgress) => void, signal: AbortSignal, intervalMs = 100): Promise<void> {
  let sent = 0; // absolute index of the next log line to send
  const send = () => {
    const start = Math.max(0, sent - record.dropped);
    const lines = record.log.slice(start);
    sent = record.dropped + record.log.length;
    emit({ ...record.snapshot(), buildLog: lines, final: record.done });
  };
  send();
  if (record.done) return;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      send();
      if (record.done) finish();
    };
    const off = record.onChange(() => {
      if (record.done) {
        if (timer) clearTimeout(timer);
        return flush();
      }
      timer ??= setTimeout(flush, intervalMs);
    });
    const finish = () => {
      off();
      if (timer) clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', finish, { once: true });
  });
}
