import type { ProbeResult } from '../../../shared/contract';
import { probeWord } from './ContextPicker';

/** Green: the API server answered; red: it did not; grey: not checked yet, or cannot be checked (the title says why). */
export function ReachabilityDot({ probe }: { probe: ProbeResult | undefined }) {
  const verdict = probe?.verdict ?? (probe ? (probe.reachable ? 'reachable' : 'unreachable') : 'unknown');
  const state = verdict === 'reachable' ? 'up' : verdict === 'unreachable' ? 'down' : 'unknown';
  const detail = probe?.error?.message ?? (probe?.latencyMs != null ? `${Math.round(probe.latencyMs)} ms` : '');
  return <span className={`dot dot-${state}`} title={`${probeWord(probe)}${detail ? ` — ${detail}` : ''}`} aria-hidden="true" />;
}
