import fs from 'node:fs/promises';
import path from 'node:path';
import { InvokeHistoryEntry, SavedRequest, INVOKE_HISTORY_CAP, type InvokeRequest } from '../../../shared/contract/invoke';
import { keyedQueue, parseNdjson, readTextOrEmpty, targetDir, writeFileAtomic } from './local-files';

export interface FunctionKey {
  context: string;
  namespace: string;
  function: string;
}

/**
 * Invocation history and saved requests on disk: one NDJSON file of calls per function
 * (dataDir/invocations/<context-hash>/<namespace>/<function>.ndjson, appended, trimmed to the
 * newest `cap` when it grows past 1.5 × cap) and one JSON file of saved requests beside it.
 */
export function createInvokeHistory(dataDir: string, cap = INVOKE_HISTORY_CAP) {
  const queue = keyedQueue();
  const lineCounts = new Map<string, number>();
  const fileOf = (k: FunctionKey, ext: string) => path.join(targetDir(dataDir, 'invocations', k.context, k.namespace), `${k.function}${ext}`);

  async function readEntries(file: string): Promise<InvokeHistoryEntry[]> {
    const out: InvokeHistoryEntry[] = [];
    for (const raw of parseNdjson(await readTextOrEmpty(file))) {
      const parsed = InvokeHistoryEntry.safeParse(raw);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  return {
    async append(k: FunctionKey, entry: InvokeHistoryEntry): Promise<void> {
      const file = fileOf(k, '.ndjson');
      await queue(file, async () => {
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        let count = lineCounts.get(file);
        if (count === undefined) count = (await readEntries(file)).length;
        await fs.appendFile(file, JSON.stringify(entry) + '\n', { mode: 0o600 });
        count++;
        if (count > cap * 1.5) {
          const kept = (await readEntries(file)).slice(-cap);
          await writeFileAtomic(file, kept.map((e) => JSON.stringify(e) + '\n').join(''));
          count = kept.length;
        }
        lineCounts.set(file, count);
      });
    },

    /** Newest first. */
    async list(k: FunctionKey, limit = cap): Promise<InvokeHistoryEntry[]> {
      const file = fileOf(k, '.ndjson');
      const entries = await queue(file, () => readEntries(file));
      return entries.slice(-Math.min(limit, cap)).reverse();
    },

    async clear(k: FunctionKey): Promise<number> {
      const file = fileOf(k, '.ndjson');
      return queue(file, async () => {
        const n = (await readEntries(file)).length;
        await fs.rm(file, { force: true });
        lineCounts.set(file, 0);
        return n;
      });
    },

    async savedList(k: FunctionKey): Promise<SavedRequest[]> {
      const file = fileOf(k, '.saved.json');
      return queue(file, () => readSaved(file));
    },

    async savedSave(k: FunctionKey, name: string, request: InvokeRequest): Promise<SavedRequest> {
      const file = fileOf(k, '.saved.json');
      return queue(file, async () => {
        const saved: SavedRequest = { name, request: { ...request, function: k.function }, savedAt: new Date().toISOString() };
        const list = (await readSaved(file)).filter((s) => s.name !== name);
        list.push(saved);
        list.sort((a, b) => a.name.localeCompare(b.name));
        await writeFileAtomic(file, JSON.stringify(list, null, 2) + '\n');
        return saved;
      });
    },

    async savedDelete(k: FunctionKey, name: string): Promise<boolean> {
      const file = fileOf(k, '.saved.json');
      return queue(file, async () => {
        const list = await readSaved(file);
        const kept = list.filter((s) => s.name !== name);
        if (kept.length === list.length) return false;
        await writeFileAtomic(file, JSON.stringify(kept, null, 2) + '\n');
        return true;
      });
    },
  };
}

async function readSaved(file: string): Promise<SavedRequest[]> {
  const text = await readTextOrEmpty(file);
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r) => {
    const p = SavedRequest.safeParse(r);
    return p.success ? [p.data] : [];
  });
}

export type InvokeHistory = ReturnType<typeof createInvokeHistory>;
