import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Draft, type DraftKey, type DraftSummary } from '../../../shared/contract/drafts';
import { createSerialQueue, readJson, writeJsonAtomic } from '../store/json-file';

const DRAFT_FILE = { what: 'A draft', instead: 'the draft is not listed', accept: (v: unknown) => Draft.safeParse(v).success };

/**
 * Unsaved editor specs, one JSON file per (context, namespace, function) under dataDir/drafts.
 * File names are a hash of the key, so any context name (slashes, colons) is safe on disk.
 */
export function createDraftStore(dataDir: string, now: () => Date = () => new Date()) {
  const dir = path.join(dataDir, 'drafts');
  const queue = createSerialQueue();
  const fileOf = (k: DraftKey) =>
    path.join(dir, createHash('sha256').update(`${k.context}\0${k.namespace}\0${k.name}`).digest('hex').slice(0, 32) + '.json');
  const summary = (d: Draft): DraftSummary => ({ context: d.context, namespace: d.namespace, name: d.name, savedAt: d.savedAt, bytes: d.bytes });

  const read = async (file: string) => Draft.safeParse(await readJson(file, DRAFT_FILE));

  async function get(key: DraftKey): Promise<Draft | null> {
    const parsed = await read(fileOf(key));
    if (!parsed.success) return null;
    const d = parsed.data;
    // A hash collision is practically impossible, but a stale file must never answer for another key.
    return d.context === key.context && d.namespace === key.namespace && d.name === key.name ? d : null;
  }

  return {
    get,
    async save(key: DraftKey, spec: unknown): Promise<DraftSummary> {
      const text = JSON.stringify(spec);
      const draft: Draft = {
        context: key.context,
        namespace: key.namespace,
        name: key.name,
        savedAt: now().toISOString(),
        bytes: Buffer.byteLength(text ?? ''),
        spec,
      };
      await queue(() => writeJsonAtomic(fileOf(key), draft));
      return summary(draft);
    },
    async delete(key: DraftKey): Promise<boolean> {
      return queue(async () => {
        if (!(await get(key))) return false;
        await fs.rm(fileOf(key), { force: true });
        return true;
      });
    },
    async list(filter: { context?: string; namespace?: string }): Promise<DraftSummary[]> {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        return [];
      }
      const out: DraftSummary[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const parsed = await read(path.join(dir, name));
        if (!parsed.success) continue;
        const d = parsed.data;
        if (filter.context !== undefined && d.context !== filter.context) continue;
        if (filter.namespace !== undefined && d.namespace !== filter.namespace) continue;
        out.push(summary(d));
      }
      return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
  };
}
export type DraftStore = ReturnType<typeof createDraftStore>;
