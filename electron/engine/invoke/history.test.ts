import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvokeRequest, type InvokeHistoryEntry } from '../../../shared/contract/invoke';
import { createInvokeHistory } from './history';

const entry = (i: number): InvokeHistoryEntry => ({
  id: `id-${i}`,
  invokedAt: new Date(1_700_000_000_000 + i).toISOString(),
  request: InvokeRequest.parse({ function: 'hello', path: `/${i}` }),
  summary: { status: 200, statusText: 'OK', sizeBytes: 2, requestId: `r${i}`, revision: '1', totalMs: 1, functionMs: null, error: null },
});

describe('invocation history', () => {
  it('keeps the newest entries per function, newest first, capped', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-hist-'));
    const h = createInvokeHistory(dir, 10);
    const k = { context: 'ctx/with:odd chars', namespace: 'dev', function: 'hello' };
    await Promise.all(Array.from({ length: 25 }, (_, i) => h.append(k, entry(i))));
    const list = await h.list(k);
    expect(list.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `id-${24 - i}`));
    expect((await h.list(k, 3)).map((e) => e.id)).toEqual(['id-24', 'id-23', 'id-22']);
    expect(await h.list({ ...k, function: 'other' })).toEqual([]);
    // a torn last line (crash mid-write) is skipped, not fatal
    const files = await fs.readdir(path.join(dir, 'invocations'), { recursive: true });
    const file = path.join(dir, 'invocations', files.find((f) => String(f).endsWith('hello.ndjson'))!);
    await fs.appendFile(file, '{"id":"torn');
    expect((await h.list(k)).length).toBe(10);
    expect(await h.clear(k)).toBeGreaterThanOrEqual(10);
    expect(await h.list(k)).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });

  it('saves, replaces and deletes named requests', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-saved-'));
    const h = createInvokeHistory(dir);
    const k = { context: 'c', namespace: 'dev', function: 'hello' };
    await h.savedSave(k, 'b', InvokeRequest.parse({ function: 'x', method: 'POST' }));
    await h.savedSave(k, 'a', InvokeRequest.parse({ function: 'hello' }));
    await h.savedSave(k, 'b', InvokeRequest.parse({ function: 'hello', method: 'PUT' }));
    const list = await h.savedList(k);
    expect(list.map((s) => [s.name, s.request.method, s.request.function])).toEqual([
      ['a', 'GET', 'hello'],
      ['b', 'PUT', 'hello'],
    ]);
    expect(await h.savedDelete(k, 'a')).toBe(true);
    expect(await h.savedDelete(k, 'a')).toBe(false);
    expect((await h.savedList(k)).map((s) => s.name)).toEqual(['b']);
    await fs.rm(dir, { recursive: true });
  });
});
