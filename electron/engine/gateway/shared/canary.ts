import type { CanaryDoc } from './traffic-doc';
import type { CanaryPhase } from './pick';

/**
 * A canary's step machine, pure: given its plan, where it is, and the new revision's calls over the
 * plan's window, what happens now. The gateway runs it every second and keeps the progress in its
 * status ConfigMap, so a restarted gateway carries on where the last one was.
 */
export interface CanaryProgress {
  id: string;
  phase: CanaryPhase;
  step: number;
  /** Unix ms the current step began. */
  stepStartedAt: number;
  finishedAt: number | null;
  reason: string | null;
}

export interface CanaryWindow {
  requests: number;
  errors: number;
}

export interface CanaryOutcome {
  progress: CanaryProgress;
  /** Set when this evaluation changed the canary, for an Event and the log. */
  event: { type: 'Normal' | 'Warning'; reason: 'CanaryStep' | 'CanaryPromoted' | 'CanaryRolledBack'; message: string } | null;
}

export function startProgress(doc: CanaryDoc): CanaryProgress {
  const started = Date.parse(doc.startedAt);
  return { id: doc.id, phase: 'running', step: 0, stepStartedAt: Number.isFinite(started) ? started : Date.now(), finishedAt: null, reason: null };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function evaluateCanary(doc: CanaryDoc, progress: CanaryProgress, window: CanaryWindow, now: number): CanaryOutcome {
  if (progress.phase !== 'running') return { progress, event: null };
  if (window.requests >= doc.minRequests && window.errors / window.requests > doc.maxErrorRate) {
    const reason =
      `Revision ${doc.to} failed ${window.errors} of its ${window.requests} calls (${pct(window.errors / window.requests)}) over the last ${doc.windowSeconds} s, ` +
      `above the ${pct(doc.maxErrorRate)} limit; all traffic went back to revision ${doc.from}.`;
    return {
      progress: { ...progress, phase: 'rolled-back', finishedAt: now, reason },
      event: { type: 'Warning', reason: 'CanaryRolledBack', message: reason },
    };
  }
  if (now - progress.stepStartedAt < doc.stepSeconds * 1000) return { progress, event: null };
  const last = doc.steps.length - 1;
  if (progress.step >= last || doc.steps[progress.step]! >= 100) {
    const reason = `Revision ${doc.to} took all traffic after ${doc.steps.length} step(s) without passing the ${pct(doc.maxErrorRate)} error limit.`;
    return { progress: { ...progress, phase: 'promoted', finishedAt: now, reason }, event: { type: 'Normal', reason: 'CanaryPromoted', message: reason } };
  }
  const step = progress.step + 1;
  const message = `Canary of revision ${doc.to}: step ${step + 1} of ${doc.steps.length}, ${doc.steps[step]}% of traffic (revision ${doc.from} keeps ${100 - doc.steps[step]!}%).`;
  return { progress: { ...progress, step, stepStartedAt: now }, event: { type: 'Normal', reason: 'CanaryStep', message } };
}
