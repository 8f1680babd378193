import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeThenKill } from './crash.test-support';
import { writeJsonAtomic } from './json-file';
import { removeStaleTempFiles } from './temp-files';

const tmpFiles = async (dir: string) => (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.tmp')).sort();

describe('stale temp files of interrupted atomic writes', () => {
  it('are removed on start, and nothing else is', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-tmp-'));
    await writeJsonAtomic(path.join(dir, 'drafts', 'a.json'), { a: 1 });
    const ours = ['settings.json.1a2b3c4d.tmp', 'drafts/a.json.deadbeef.tmp', 'invocations/0123456789abcdef/dev/hello.saved.json.00ff00ff.tmp'];
    const theirs = ['notes.tmp', 'drafts/a.json.corrupt-2026-01-01T00-00-00-000Z', 'logs/x/00000001.ndjson', 'drafts/a.json.NOTHEX12.tmp'];
    for (const f of [...ours, ...theirs]) {
      await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await fs.writeFile(path.join(dir, f), 'x');
    }
    expect((await removeStaleTempFiles(dir)).map((f) => path.relative(dir, f)).sort()).toEqual([...ours].sort());
    expect(await tmpFiles(dir)).toEqual(['drafts/a.json.NOTHEX12.tmp', 'notes.tmp']);
    for (const f of theirs) await fs.access(path.join(dir, f));
    expect(JSON.parse(await fs.readFile(path.join(dir, 'drafts', 'a.json'), 'utf8'))).toEqual({ a: 1 });
    await fs.rm(dir, { recursive: true });
  });

  it('after a real kill -9 in the middle of atomic writes: the document is whole (old or new) and its temp file is cleaned', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-tmp-kill-'));
    // A kill often lands while the 4 MB temp file is being written: go on (up to 8 rounds) until one did.
    let left = 0;
    for (let round = 1; round <= 8 && left === 0; round++) {
      await writeThenKill('atomic', dir, 40 + round * 30);
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'doc.json'), 'utf8')) as { i: number; payload: string; check: number };
      expect(doc.check).toBe(doc.i * 7);
      expect(doc.payload.length).toBe(4 * 1024 * 1024);
      left = (await tmpFiles(dir)).length;
      console.log(`[atomic] round ${round}: document ${doc.i} whole; ${left} temp file(s) left by the kill`);
      expect((await removeStaleTempFiles(dir)).length).toBe(left);
      expect(await tmpFiles(dir)).toEqual([]);
    }
    await fs.rm(dir, { recursive: true });
  }, 60_000);
});
