import type { FunctionSummary } from '../../../shared/contract/functions';
import type { RevisionInfo } from '../../../shared/contract/revisions';
import { functionState, functionStates, NO_KNOWLEDGE, type ClusterView, type EngineKnowledge } from './state';

export type { ClusterView } from './state';

/** One summary per function (see state.ts for how it is derived). */
export function summarize(view: ClusterView, known: EngineKnowledge = NO_KNOWLEDGE): FunctionSummary[] {
  return functionStates(view, known).map((s) => s.summary);
}

/** One function's revisions, newest first. */
export function revisionsOf(fn: string, view: ClusterView, known: EngineKnowledge = NO_KNOWLEDGE): RevisionInfo[] {
  return functionState(fn, view, known)?.revisions ?? [];
}
