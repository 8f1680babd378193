import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeProblemsIn } from '../store/problems';
import { createSelectionStore } from './selection-store';

describe('selection store', () => {
  it('remembers the chosen context and namespace', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-sel-'));
    const store = createSelectionStore(dir);
    expect(store.load()).toBeNull();
    await store.save({ context: 'kind-a', namespace: 'dev' });
    expect(createSelectionStore(dir).load()).toEqual({ context: 'kind-a', namespace: 'dev' });
    expect(storeProblemsIn(dir)).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });

  it('a damaged selection.json is kept aside and reported, not silently replaced', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-sel-'));
    await fs.writeFile(path.join(dir, 'selection.json'), '{"context": "prod", "namespace": ');
    const store = createSelectionStore(dir);
    expect(store.load()).toBeNull();
    await store.save({ context: 'kind-a', namespace: 'dev' });
    const aside = (await fs.readdir(dir)).filter((f) => f.startsWith('selection.json.corrupt-'));
    expect(aside.length).toBe(1);
    expect(await fs.readFile(path.join(dir, aside[0]!), 'utf8')).toBe('{"context": "prod", "namespace": ');
    expect(storeProblemsIn(dir)[0]!.problem).toMatch(/^The chosen context and namespace \(/);
    await fs.rm(dir, { recursive: true });
  });
});
