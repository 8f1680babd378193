import path from 'node:path';
import { z } from 'zod';
import { createSerialQueue, readJsonSync, writeJsonAtomic } from '../store/json-file';

const Stored = z.object({ context: z.string().min(1), namespace: z.string().min(1) });
export type StoredSelection = z.infer<typeof Stored>;

/** The chosen context and namespace in dataDir/selection.json: the app's own state, never the kubeconfig. */
export function createSelectionStore(dataDir: string) {
  const file = path.join(dataDir, 'selection.json');
  const queue = createSerialQueue();
  return {
    file,
    load(): StoredSelection | null {
      const parsed = Stored.safeParse(readJsonSync(file, { what: 'The chosen context and namespace', instead: 'none is selected', accept: (v) => Stored.safeParse(v).success }));
      return parsed.success ? parsed.data : null;
    },
    save(selection: StoredSelection): Promise<void> {
      return queue(() => writeJsonAtomic(file, selection));
    },
  };
}
