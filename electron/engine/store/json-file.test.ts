import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createSerialQueue, readJson, readJsonSync, writeJsonAtomic } from './json-file';
import { storeProblemsIn } from './problems';

const STORE = { what: 'Test data', instead: 'defaults are used' };

describe('json-file store', () => {
  it('writes atomically and reads back; a missing file reads as undefined', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-store-'));
    const file = path.join(dir, 'nested', 'a.json');
    expect(await readJson(file, STORE)).toBeUndefined();
    await writeJsonAtomic(file, { a: 1 });
    expect(await readJson(file, STORE)).toEqual({ a: 1 });
    expect((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(storeProblemsIn(dir)).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });

  it('a damaged file reads as undefined but is kept aside as <file>.corrupt-<time> and reported, not left to be overwritten', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-store-'));
    const file = path.join(dir, 'a.json');
    await fs.writeFile(file, '{"a":');
    expect(await readJson(file, STORE)).toBeUndefined();
    await writeJsonAtomic(file, { a: 2 });
    const aside = (await fs.readdir(dir)).filter((f) => /^a\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(f));
    expect(aside.length).toBe(1);
    expect(await fs.readFile(path.join(dir, aside[0]!), 'utf8')).toBe('{"a":');
    // Valid JSON the store cannot use (the accept check fails) is damaged too; sync reads alike.
    expect(await readJson(file, { ...STORE, accept: (v) => (v as { a?: number }).a === 1 })).toBeUndefined();
    await fs.writeFile(file, 'nope');
    expect(readJsonSync(file, STORE)).toBeUndefined();
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('a.json.corrupt-')).length).toBe(3);
    expect(existsSync(file)).toBe(false);
    const problems = storeProblemsIn(dir);
    expect(problems.map((p) => p.file)).toEqual([file, file, file]);
    expect(problems[0]!.problem).toBe(`Test data (${file}) was damaged: not valid JSON (${problems[0]!.problem.match(/not valid JSON \((.*)\)\. It/)![1]}). It was kept as ${problems[0]!.keptAs}; defaults are used.`);
    expect(problems[1]!.problem).toMatch(/not what Funcdeck expects/);
    await fs.rm(dir, { recursive: true });
  });

  it('serial queue runs jobs in order even when one fails', async () => {
    const q = createSerialQueue();
    const order: number[] = [];
    const slow = q(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push(1);
    });
    const failing = q(async () => {
      order.push(2);
      throw new Error('x');
    });
    const last = q(async () => order.push(3));
    await slow;
    await expect(failing).rejects.toThrow('x');
    await last;
    expect(order).toEqual([1, 2, 3]);
  });
});
