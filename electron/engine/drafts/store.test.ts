import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract';
import { MAX_DRAFT_BYTES } from '../../../shared/contract/drafts';
import { storeProblemsIn } from '../store/problems';
import { createDraftStore } from './store';

describe('draft store', () => {
  it('saves, gets, lists (newest first, filtered) and deletes by (context, namespace, name)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-drafts-'));
    let t = Date.parse('2026-01-01T00:00:00Z');
    const store = createDraftStore(dir, () => new Date((t += 1000)));
    const a = { context: 'kind-a', namespace: 'default', name: 'hello' };
    const b = { context: 'arn:aws:eks:x/y', namespace: 'default', name: 'hello' };
    await store.save(a, { handler: 'v1' });
    await store.save(b, { handler: 'other' });
    await store.save(a, { handler: 'v2' });
    expect((await store.get(a))?.spec).toEqual({ handler: 'v2' });
    expect((await store.get(b))?.spec).toEqual({ handler: 'other' });
    expect(await store.get({ ...a, name: 'nope' })).toBeNull();
    const all = await store.list({});
    expect(all.map((d) => d.context)).toEqual(['kind-a', 'arn:aws:eks:x/y']);
    expect((await store.list({ context: 'kind-a' })).length).toBe(1);
    expect(await store.delete(a)).toBe(true);
    expect(await store.delete(a)).toBe(false);
    expect(await store.get(a)).toBeNull();
  });

  it('the contract refuses drafts over the size limit and non-JSON values', () => {
    const params = calls['drafts.save'].params;
    const key = { context: 'c', namespace: 'n', name: 'f' };
    expect(params.safeParse({ ...key, spec: { files: { 'a.js': 'x' } } }).success).toBe(true);
    const big = params.safeParse({ ...key, spec: 'x'.repeat(MAX_DRAFT_BYTES + 1) });
    expect(big.success).toBe(false);
    expect(JSON.stringify(big.error?.issues)).toMatch(/limited to/);
    expect(params.safeParse({ ...key, spec: () => 1 }).success).toBe(false);
  });

  it('a damaged draft is kept aside and reported, not read as "no draft" and then overwritten', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-drafts-'));
    const store = createDraftStore(dir);
    const a = { context: 'kind-a', namespace: 'default', name: 'hello' };
    await store.save(a, { handler: 'v1' });
    await store.save({ ...a, name: 'other' }, { handler: 'x' });
    const damaged = '{"context":"kind-a","namespace":"default","name":"hello","savedAt":"2026-01-01T00:00:00Z","bytes":3,"spec":{"handler":"v1';
    const hello = path.join(dir, 'drafts', (await Promise.all((await fs.readdir(path.join(dir, 'drafts'))).map(async (f) => [f, await fs.readFile(path.join(dir, 'drafts', f), 'utf8')] as const))).find(([, t]) => t.includes('"hello"'))![0]);
    await fs.writeFile(hello, damaged);
    const again = createDraftStore(dir);
    expect((await again.list({})).map((d) => d.name)).toEqual(['other']);
    expect(await again.get(a)).toBeNull();
    await again.save(a, { handler: 'v2' });
    const aside = (await fs.readdir(path.join(dir, 'drafts'))).filter((f) => f.startsWith(path.basename(hello) + '.corrupt-'));
    expect(aside.length).toBe(1);
    expect(await fs.readFile(path.join(dir, 'drafts', aside[0]!), 'utf8')).toBe(damaged);
    expect(storeProblemsIn(dir)).toEqual([expect.objectContaining({ file: hello, keptAs: path.join(dir, 'drafts', aside[0]!) })]);
    expect(storeProblemsIn(dir)[0]!.problem).toMatch(/^A draft \(/);
    expect((await again.get(a))?.spec).toEqual({ handler: 'v2' });
    await fs.rm(dir, { recursive: true });
  });
});
