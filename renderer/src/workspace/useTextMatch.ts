import { useEffect, useState } from 'react';
import type { FunctionSpecInput, FunctionSummary } from '../../../shared/contract/functions';
import type { TextMatch } from '../../../shared/contract/revisions';
import { useEngine } from '../api/engine';
import { specText } from './spec-helpers';

/**
 * Which revision the editor's text is (the engine compares the checksum a deploy would give it),
 * asked again when the text settles or the function's revisions or serving revision change.
 */
export function useTextMatch(
  name: string | null,
  spec: FunctionSpecInput | null,
  summary: FunctionSummary | null,
  /** The runtime image a deploy would use (from settings): part of the checksum. */
  image: string,
  delayMs = 300,
): TextMatch | null {
  const engine = useEngine();
  const [match, setMatch] = useState<{ key: string; value: TextMatch } | null>(null);
  const text = spec ? specText(spec) : '';
  // What the answer depends on besides the text: the revisions that exist and which one serves.
  const revisionsKey = summary ? `${summary.latestRevision}/${summary.traffic.map((t) => `${t.revision}:${t.percent}`).join(',')}` : '';
  const key = `${name}\u0000${revisionsKey}\u0000${image}\u0000${text}`;
  useEffect(() => {
    if (!name || !spec || !summary) return;
    let live = true;
    const timer = setTimeout(() => {
      engine.call('revisions.match', { name, spec }).then(
        (value) => live && setMatch({ key, value }),
        () => live && setMatch(null),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` covers name, spec text and the summary's revisions.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, key, delayMs]);
  if (!summary || !match) return null;
  // A stale answer (older text or revisions) is better than none while the new one is asked for,
  // except for another function's.
  return match.key.startsWith(`${name}\u0000`) ? match.value : null;
}
