import type { ProbeResult } from '../../../shared/contract';
import { probeWord } from './ContextPicker';

/** Green: answered; red: did not; grey: not checked yet. */
export function ReachabilityDot({ probe }: { probe: ProbeResult | undefined }) {
  const state = !probe ? 'unknown' : probe.reachable ? 'up' : 'down';
  const detail = probe?.error?.message ?? (probe?.latencyMs != null ? `${Math.round(probe.latencyMs)} ms` : '');
  return <span className={`dot dot-${state}`} title={`${probeWord(probe)}${detail ? ` — ${detail}` : ''}`} aria-hidden="true" />;
}
