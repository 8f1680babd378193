import { plural } from '../../../shared/plural';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InvokeHistoryEntry, SavedRequest, INVOKE_HISTORY_CAP, type InvokeRequest } from '../../../shared/contract/invoke';
import { keepAside } from '../store/quarantine';
import { keyedQueue, readTextOrEmpty, splitNdjson, targetDir, writeFileAtomic } from './local-files';

export interface FunctionKey {
  context: string;
  namespace: string;
  function: string;
}

/** The history's entries, and how many lines could not be read (cut by a crash, or damaged). */
function parseHistory(text: string): { entries: InvokeHistoryEntry[]; bad: number } {
  const entries: InvokeHistoryEntry[] = [];
  let bad = 0;
  for (const line of splitNdjson(text)) {
    try {
      const parsed = InvokeHistoryEntry.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { entries, bad };
}

const ndjson = (entries: InvokeHistoryEntry[]) => entries.map((e) => JSON.stringify(e) + '\n').join('');

/**
 * Invocation history and saved requests on disk: one NDJSON file of calls per function
 * (dataDir/invocations/<context-hash>/<namespace>/<function>.ndjson, appended, trimmed to the
 * newest `cap` when it grows past 1.5 × cap) and one JSON file of saved requests beside it.
 * Each file is checked once before its first use: a line cut by a crash or a damaged file is kept
 * aside (`<file>.corrupt-<time>`) and reported, and what could be read is written back, so an append
 * always starts on a line of its own and nothing is silently dropped or overwritten.
 */
export function createInvokeHistory(dataDir: string, cap = INVOKE_HISTORY_CAP) {
  const queue = keyedQueue();
  const lineCounts = new Map<string, number>();
  const fileOf = (k: FunctionKey, ext: string) => path.join(targetDir(dataDir, 'invocations', k.context, k.namespace), `${k.function}${ext}`);

  async function readEntries(file: string): Promise<InvokeHistoryEntry[]> {
    return parseHistory(await readTextOrEmpty(file)).entries;
  }

  /** Once per file (and again after a failed append): repairs a cut last line, keeps damage aside. */
  async function checkHistory(file: string, fn: string): Promise<void> {
    if (lineCounts.has(file)) return;
    const text = await readTextOrEmpty(file);
    const { entries, bad } = parseHistory(text);
    const kept =
      bad > 0 &&
      (await keepAside(
        file,
        { what: `Invocation history of ${fn}`, reason: `${plural(bad, 'line')} could not be read (cut by a crash, or damaged)`, instead: `${plural(entries.length, 'readable call was', 'readable calls were')} kept` },
        { copy: true },
      ));
    // Rewritten only once the damaged original is safe aside; otherwise (a whole last entry without
    // its newline, or a copy that failed) the next entry just starts on a new line.
    if (kept) await writeFileAtomic(file, ndjson(entries));
    else if (text && !text.endsWith('\n')) await fs.appendFile(file, '\n');
    lineCounts.set(file, entries.length);
  }

  return {
    /** Checks one history file now (see checkInvocationFiles). */
    checkFile: (file: string, fn: string) => queue(file, () => checkHistory(file, fn)),

    async append(k: FunctionKey, entry: InvokeHistoryEntry): Promise<void> {
      const file = fileOf(k, '.ndjson');
      await queue(file, async () => {
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        await checkHistory(file, k.function);
        let count = lineCounts.get(file)!;
        try {
          await fs.appendFile(file, JSON.stringify(entry) + '\n', { mode: 0o600 });
        } catch (e) {
          lineCounts.delete(file); // part of the line may be on disk: check again before the next append
          throw e;
        }
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
      const entries = await queue(file, async () => {
        await checkHistory(file, k.function);
        return readEntries(file);
      });
      return entries.slice(-Math.min(limit, cap)).reverse();
    },

    async clear(k: FunctionKey): Promise<number> {
      const file = fileOf(k, '.ndjson');
      return queue(file, async () => {
        await checkHistory(file, k.function);
        const n = (await readEntries(file)).length;
        await fs.rm(file, { force: true });
        lineCounts.set(file, 0);
        return n;
      });
    },

    async savedList(k: FunctionKey): Promise<SavedRequest[]> {
      const file = fileOf(k, '.saved.json');
      return queue(file, () => readSaved(file, k.function));
    },

    async savedSave(k: FunctionKey, name: string, request: InvokeRequest): Promise<SavedRequest> {
      const file = fileOf(k, '.saved.json');
      return queue(file, async () => {
        const saved: SavedRequest = { name, request: { ...request, function: k.function }, savedAt: new Date().toISOString() };
        const list = (await readSaved(file, k.function)).filter((s) => s.name !== name);
        list.push(saved);
        list.sort((a, b) => a.name.localeCompare(b.name));
        await writeFileAtomic(file, JSON.stringify(list, null, 2) + '\n');
        return saved;
      });
    },

    async savedDelete(k: FunctionKey, name: string): Promise<boolean> {
      const file = fileOf(k, '.saved.json');
      return queue(file, async () => {
        const list = await readSaved(file, k.function);
        const kept = list.filter((s) => s.name !== name);
        if (kept.length === list.length) return false;
        await writeFileAtomic(file, JSON.stringify(kept, null, 2) + '\n');
        return true;
      });
    },
  };
}

/**
 * The saved requests of a function. A file that is not a JSON list of valid requests is kept aside
 * and reported; the requests that could be read are written back (none when it was not JSON).
 */
async function readSaved(file: string, fn: string): Promise<SavedRequest[]> {
  const text = await readTextOrEmpty(file);
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    await keepAside(file, { what: `Saved requests of ${fn}`, reason: `not valid JSON (${(e as Error).message})`, instead: 'none of them could be read' });
    return [];
  }
  const items = Array.isArray(raw) ? raw : [];
  const valid = items.flatMap((r) => {
    const p = SavedRequest.safeParse(r);
    return p.success ? [p.data] : [];
  });
  if (!Array.isArray(raw) || valid.length < items.length) {
    const reason = Array.isArray(raw) ? `${items.length - valid.length} of ${items.length} saved requests are not valid` : 'not a list of saved requests';
    if (await keepAside(file, { what: `Saved requests of ${fn}`, reason, instead: `the ${valid.length} valid ones were kept` }, { copy: true })) {
      await writeFileAtomic(file, JSON.stringify(valid, null, 2) + '\n');
    }
  }
  return valid;
}

/**
 * Checks every history and saved-requests file under dataDir/invocations (at start, before the
 * engine serves calls): damaged ones are kept aside and reported, what could be read written back.
 */
export async function checkInvocationFiles(dataDir: string): Promise<void> {
  const root = path.join(dataDir, 'invocations');
  const names = (await fs.readdir(root, { recursive: true }).catch(() => [] as string[])).map(String);
  const history = createInvokeHistory(dataDir);
  for (const name of names) {
    const file = path.join(root, name);
    const fn = path.basename(name).replace(/(\.saved\.json|\.ndjson)$/, '');
    if (name.endsWith('.ndjson')) await history.checkFile(file, fn);
    else if (name.endsWith('.saved.json')) await readSaved(file, fn);
  }
}

export type InvokeHistory = ReturnType<typeof createInvokeHistory>;
