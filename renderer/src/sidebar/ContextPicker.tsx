import { useEffect, useState } from 'react';
import type { ClusterFlavor, KubeContext, KubeconfigProblem, ProbeResult } from '../../../shared/contract';
import { plural } from '../../../shared/plural';
import { FlavorBadge } from './FlavorBadge';
import { ReachabilityDot } from './ReachabilityDot';

export interface ContextPickerProps {
  contexts: KubeContext[];
  /** The kubeconfig's current-context. */
  current: string | null;
  selected: string | null;
  probes: Record<string, ProbeResult>;
  disabled?: boolean;
  /** Files that could not be read while others could: shown so a missing context has an explanation. */
  problems?: KubeconfigProblem[];
  onSelect(context: KubeContext): void;
}

/** When a context without a verdict stops being "checking". */
const VERDICT_DUE_MS = 5000;

/**
 * The kubeconfig's contexts as a list of radio-like buttons: reachability, flavor, and which one the
 * kubeconfig marks current. Picking one selects it for the app only; the kubeconfig is never written.
 */
export function ContextPicker({ contexts, current, selected, probes, disabled, problems = [], onSelect }: ContextPickerProps) {
  // The engine gives every context a verdict within 5 s; past that, say so rather than "checking" for ever.
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), VERDICT_DUE_MS);
    return () => clearTimeout(t);
  }, []);
  const word = (c: KubeContext) => (!probes[c.name] && late ? 'no verdict yet: the check takes longer than 5 s' : probeWord(probes[c.name]));
  return (
    <section className="side-section" aria-labelledby="contexts-heading">
      <h2 id="contexts-heading" className="side-heading">
        Cluster context
      </h2>
      <ul
        className="context-list"
        role="listbox"
        aria-label="Cluster contexts"
        aria-disabled={disabled || undefined}
        onKeyDown={(e) => {
          // Arrow keys move between contexts; Enter or Space picks the focused one.
          const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="option"]')];
          const i = items.indexOf(document.activeElement as HTMLElement);
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
          } else if ((e.key === 'Enter' || e.key === ' ') && i >= 0 && !disabled) {
            e.preventDefault();
            onSelect(contexts[i]!);
          }
        }}
      >
        {contexts.map((c) => {
          const isSelected = c.name === selected;
          return (
            <li
              key={c.name}
              role="option"
              aria-selected={isSelected}
              tabIndex={isSelected || (!selected && c === contexts[0]) ? 0 : -1}
              className={`context-item${isSelected ? ' selected' : ''}`}
              onClick={() => !disabled && onSelect(c)}
              title={`${c.name}\nserver: ${c.server ?? 'unknown'}\nfrom ${c.file}`}
              aria-label={`${c.name}${c.name === current ? ' (current in kubeconfig)' : ''}, ${flavorWord(c.flavor)}, ${word(c)}`}
            >
              <ReachabilityDot probe={probes[c.name]} />
              <span className="context-name">{c.name}</span>
              {c.name === current && (
                <span className="current-mark" title="current-context in the kubeconfig">
                  current
                </span>
              )}
              <FlavorBadge flavor={c.flavor} />
            </li>
          );
        })}
      </ul>
      {problems.length > 0 && (
        <details className="kc-problems">
          <summary className="error-text">
            {plural(problems.length, 'kubeconfig problem')}
          </summary>
          <ul aria-label="Kubeconfig problems">
            {problems.map((p, i) => (
              <li key={i}>
                <code>{p.file}</code>: {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function flavorWord(flavor: ClusterFlavor) {
  return flavor === 'funcdeck-dev' ? 'dev cluster' : flavor === 'other' ? 'cluster' : flavor;
}

export function probeWord(probe: ProbeResult | undefined) {
  if (!probe) return 'checking reachability';
  if (probe.verdict === 'unknown') return 'reachability unknown';
  if (!probe.reachable && probe.verdict === 'reachable') return 'reachable, credentials not usable';
  return probe.reachable ? `reachable${probe.serverVersion ? `, ${probe.serverVersion}` : ''}` : 'unreachable';
}
