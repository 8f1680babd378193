import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { WorkbenchLayout, WorkbenchPlace } from '../../../shared/contract/workbench';
import { createSerialQueue, readJson, writeJsonAtomic } from '../store/json-file';

const PlaceFile = z.object({ context: z.string(), savedAt: z.string(), place: WorkbenchPlace });
const PLACE_FILE = { what: 'The kept workbench of a context', instead: 'the context opens as new', accept: (v: unknown) => PlaceFile.safeParse(v).success };
const LAYOUT_FILE = { what: 'The workbench layout', instead: 'the default layout is used', accept: (v: unknown) => WorkbenchLayout.safeParse(v).success };

/** How long changes gather before one write: typing makes a change per key, the disk sees a few per second at most. */
export const WORKBENCH_WRITE_DELAY_MS = 250;

/**
 * The workbench each context was left in (dataDir/workbench/<hash of context>.json) and the layout
 * (dataDir/workbench/layout.json). Saves are kept in memory at once (a get sees them) and written
 * shortly after, coalesced per file, atomically; flush() writes whatever is pending (engine stop).
 */
export function createWorkbenchStore(dataDir: string, opts: { delayMs?: number; now?: () => Date } = {}) {
  const dir = path.join(dataDir, 'workbench');
  const delay = opts.delayMs ?? WORKBENCH_WRITE_DELAY_MS;
  const now = opts.now ?? (() => new Date());
  const queue = createSerialQueue();
  const pending = new Map<string, { value: unknown; timer: NodeJS.Timeout }>();
  const placeFile = (context: string) => path.join(dir, createHash('sha256').update(context).digest('hex').slice(0, 32) + '.json');
  const layoutFile = path.join(dir, 'layout.json');

  const writeNow = (file: string) => {
    const p = pending.get(file);
    if (!p) return Promise.resolve();
    clearTimeout(p.timer);
    pending.delete(file);
    return queue(() => writeJsonAtomic(file, p.value));
  };
  const later = (file: string, value: unknown) => {
    const old = pending.get(file);
    if (old) clearTimeout(old.timer);
    // A failed write is retried by the next save; the renderer still holds the state.
    const timer = setTimeout(() => void writeNow(file).catch((e) => console.warn(`Funcdeck: could not keep the workbench (${file}): ${(e as Error).message}`)), delay);
    pending.set(file, { value, timer });
  };
  const current = async (file: string, store: typeof PLACE_FILE | typeof LAYOUT_FILE) => (pending.has(file) ? pending.get(file)!.value : await queue(() => readJson(file, store)));

  return {
    async get(context: string): Promise<{ place: WorkbenchPlace | null; layout: WorkbenchLayout | null }> {
      const file = PlaceFile.safeParse(await current(placeFile(context), PLACE_FILE));
      const layout = WorkbenchLayout.safeParse(await current(layoutFile, LAYOUT_FILE));
      return {
        // A stale file must never answer for another context (a hash collision is practically impossible).
        place: file.success && file.data.context === context ? file.data.place : null,
        layout: layout.success ? layout.data : null,
      };
    },
    save(context: string, place: WorkbenchPlace): void {
      later(placeFile(context), { context, savedAt: now().toISOString(), place });
    },
    saveLayout(layout: WorkbenchLayout): void {
      later(layoutFile, layout);
    },
    /** Writes every pending change now. */
    async flush(): Promise<void> {
      await Promise.all([...pending.keys()].map(writeNow));
    },
  };
}
export type WorkbenchStore = ReturnType<typeof createWorkbenchStore>;
