import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSerialQueue, readJson, writeJsonAtomic } from './json-file';

describe('json-file store', () => {
  it('writes atomically and reads back; broken or missing files read as undefined', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-store-'));
    const file = path.join(dir, 'nested', 'a.json');
    expect(await readJson(file)).toBeUndefined();
    await writeJsonAtomic(file, { a: 1 });
    expect(await readJson(file)).toEqual({ a: 1 });
    expect((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await fs.writeFile(file, '{"a":');
    expect(await readJson(file)).toBeUndefined();
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
