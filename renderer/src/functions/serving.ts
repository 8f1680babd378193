import type { FunctionSummary } from '../../../shared/contract/functions';
import type { TextMatch } from '../../../shared/contract/revisions';

/** What the editor's text is, in words, from the engine's match of it against the revisions. */
export function editorTextNote(match: TextMatch | null, summary: FunctionSummary | null, deployed: boolean): string {
  if (!deployed || !summary) return 'Editor: not deployed yet';
  if (!match) return 'Editor: comparing with the revisions…';
  const serving = match.servingRevision;
  switch (match.relation) {
    case 'serving':
      return `Editor: the serving revision's code (revision ${match.revision})`;
    case 'newer':
      return `Editor: revision ${match.revision}'s code, newer than the serving revision ${serving}`;
    case 'older':
      return `Editor: revision ${match.revision}'s code, older than the serving revision ${serving}`;
    default:
      return serving ? `Editor: a draft, not deployed (revision ${serving} serves)` : 'Editor: a draft, not deployed';
  }
}
