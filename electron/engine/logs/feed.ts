import { performance } from 'node:perf_hooks';
import type { LogFollowStatus, LogLine, LogsBatch } from '../../../shared/contract/logs';

export interface LogSubscriber {
  revision?: string;
  deliver(batch: LogsBatch): void;
}

/**
 * Lines one batch may carry to the UI: FEED_BATCH_MAX, or FEED_LINES_PER_S for the time since the
 * subscriber's previous batch when that is more (a burst after a pause), at most FEED_BURST_MAX.
 * Beyond that the oldest are skipped and counted as dropped (the store keeps them all).
 */
export const FEED_BATCH_MAX = 10_000;
const FEED_LINES_PER_S = 25_000;
const FEED_BURST_MAX = 50_000;

const lastDelivery = new WeakMap<LogSubscriber, number>();

/** Sends a subscriber its share of a batch (its revision only), within its line budget. */
export function deliver(
  s: LogSubscriber,
  lines: LogLine[],
  status: LogFollowStatus | undefined,
  stats: { dropped: number },
  now = performance.now(),
): void {
  let mine = s.revision ? lines.filter((l) => l.revision === s.revision) : lines;
  let dropped = 0;
  const since = (now - (lastDelivery.get(s) ?? now)) / 1000;
  const cap = Math.min(FEED_BURST_MAX, Math.max(FEED_BATCH_MAX, Math.round(FEED_LINES_PER_S * since)));
  if (mine.length > cap) {
    dropped = mine.length - cap;
    mine = mine.slice(-cap);
    stats.dropped += dropped;
  }
  lastDelivery.set(s, now);
  if (!mine.length && !status && !dropped) return;
  const batch: LogsBatch = { lines: mine };
  if (dropped) batch.dropped = dropped;
  if (status) batch.status = status;
  try {
    s.deliver(batch);
  } catch {
    // A subscriber that cannot take the batch (closed, or a bug in validation) must not stop the others or the store.
  }
}

