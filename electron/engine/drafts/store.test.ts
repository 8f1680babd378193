import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract';
import { MAX_DRAFT_BYTES } from '../../../shared/contract/drafts';
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
});
