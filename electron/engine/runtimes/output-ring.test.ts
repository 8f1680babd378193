import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

// The Node.js runtime's output ring (plain CommonJS shipped into the pod), tested on its own.
const ringFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nodejs', 'output-ring.cjs');
const { createRing, ringWriter, ringReader } = createRequire(import.meta.url)(ringFile) as {
  createRing(capacity?: number): SharedArrayBuffer;
  ringWriter(sab: SharedArrayBuffer, wake: () => void): (fd: number, bytes: Uint8Array) => void;
  ringReader(sab: SharedArrayBuffer): (out: (fd: number, bytes: Buffer) => void) => void;
};

describe('the Node.js runtime’s output ring', () => {
  it('carries records of every size through many wraps, in order, runs of one stream joined', () => {
    const sab = createRing(4096);
    let wakes = 0;
    const write = ringWriter(sab, () => wakes++);
    const drain = ringReader(sab);
    const got: Array<[number, string]> = [];
    const want: Array<[number, string]> = [];
    const out = (fd: number, bytes: Buffer) => got.push([fd, bytes.toString('utf8')]);
    for (let i = 0; i < 2000; i++) {
      const fd = i % 7 === 0 ? 2 : 1;
      const text = `line ${i} ${'é'.repeat(i % 300)}\n`;
      write(fd, Buffer.from(text));
      want.push([fd, text]);
      if (i % 5 === 4) drain(out);
    }
    drain(out);
    const joined = (xs: Array<[number, string]>) => xs.map(([fd, t]) => `${fd}:${t}`).join('');
    // Consecutive writes to one stream may arrive joined; the bytes per stream and their order do not change.
    expect(joined(got.flatMap(([fd, t]) => t.split(/(?<=\n)/).map((l): [number, string] => [fd, l])))).toBe(joined(want));
    expect(wakes).toBeGreaterThan(0);
    expect(wakes).toBeLessThan(2000); // one per batch, not one per write
  });

  it('splits a record larger than the ring and joins it again', () => {
    const sab = createRing(4096);
    const write = ringWriter(sab, () => undefined);
    const drain = ringReader(sab);
    const big = Buffer.alloc(1500, 'x');
    const parts: Buffer[] = [];
    write(1, big);
    drain((fd, bytes) => parts.push(bytes));
    expect(Buffer.concat(parts).equals(big)).toBe(true);
  });

  it('holds a writer that filled the ring until the reader makes room, losing nothing', async () => {
    const sab = createRing(1 << 16);
    const drain = ringReader(sab);
    // The writer is another thread, as the handler's worker is; 8 MB through a 64 KB ring.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const write = require(workerData.ringFile).ringWriter(workerData.sab, () => parentPort.postMessage('wake'));
       const chunk = Buffer.alloc(1000);
       for (let i = 0; i < 8000; i++) { chunk.fill(i % 251); write(1, chunk); }
       parentPort.postMessage('done');`,
      { eval: true, workerData: { sab, ringFile } },
    );
    const received: Buffer[] = [];
    const take = () => drain((_, bytes) => received.push(bytes));
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m) => {
        take();
        if (m === 'done') resolve();
      });
      worker.on('error', reject);
    });
    take();
    await worker.terminate();
    const all = Buffer.concat(received);
    expect(all.length).toBe(8_000_000);
    for (let i = 0; i < 8000; i += 997) expect(all[i * 1000 + 999]).toBe(i % 251);
  });
});
