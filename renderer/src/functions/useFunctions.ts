import type { FunctionSummary, FunctionsSnapshot } from '../../../shared/contract/functions';
import { useStream } from '../api/hooks';

/** The functions of the selected namespace, live (functions.watch), or null before the first snapshot. */
export function useFunctions(active: boolean, selectionKey: string) {
  const stream = useStream(
    'functions.watch',
    active ? ({} as Record<string, never>) : null,
    null as FunctionsSnapshot | null,
    (_prev, snapshot) => snapshot,
    150,
    selectionKey,
  );
  // A snapshot of another selection is stale; hide it until the new one arrives.
  const snapshot = stream.value && `${stream.value.context}/${stream.value.namespace}` === selectionKey ? stream.value : null;
  const functions: FunctionSummary[] | null = snapshot ? snapshot.functions : null;
  return { functions, error: stream.error };
}
