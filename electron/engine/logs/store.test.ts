import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeThenKill } from '../store/crash.test-support';
import { endsMidLine } from '../store/line-files';
import { LogStore } from './store';

const line = (i: number, pod = 'p1') => ({
  ts: new Date(Date.UTC(2026, 10, 22, 4) + i).toISOString().replace('Z', '000000Z'),
  pod,
  revision: pod === 'p1' ? '1' : '2',
  container: 'fn',
  requestId: i % 10 === 0 ? `req${i}` : null,
  text: i % 10 === 0 ? `[req req${i}] Hello ${i}` : `line ${i}`,
});

describe('LogStore', () => {
  it('numbers, stores and filters lines; numbering continues after reopening', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir);
    await s.open();
    const out = s.append(Array.from({ length: 100 }, (_, i) => line(i, i % 2 ? 'p2' : 'p1')));
    expect(out.map((l) => l.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const all = await s.query({ limit: 1000 });
    expect(all.lines.length).toBe(100);
    expect(all.more).toBe(false);
    const last = await s.query({ limit: 10 });
    expect(last.lines.map((l) => l.seq)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    expect(last.more).toBe(true);
    expect((await s.query({ limit: 5, beforeSeq: 91 })).lines.map((l) => l.seq)).toEqual([86, 87, 88, 89, 90]);
    expect((await s.query({ limit: 100, pod: 'p2' })).lines.every((l) => l.pod === 'p2')).toBe(true);
    expect((await s.query({ limit: 100, revision: '2' })).lines.length).toBe(50);
    expect((await s.query({ limit: 100, requestId: 'req40' })).lines.map((l) => l.text)).toEqual(['[req req40] Hello 40']);
    expect((await s.query({ limit: 100, text: 'HELLO' })).lines.length).toBe(10);
    const again = new LogStore(dir);
    await again.open();
    expect(again.append([line(200)])[0]!.seq).toBe(101);
    await again.flushed();
    expect(await again.clear()).toBe(true);
    expect((await again.query({ limit: 10 })).lines).toEqual([]);
    await fs.rm(dir, { recursive: true });
  });

  it('rotates segments and bounds the disk use', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir, { segmentBytes: 10_000, maxSegments: 3 });
    await s.open();
    for (let b = 0; b < 50; b++) {
      s.append(Array.from({ length: 20 }, (_, i) => line(b * 20 + i)));
      await s.flushed();
    }
    const files = await fs.readdir(dir);
    expect(files.length).toBe(3);
    const q = await s.query({ limit: 10_000 });
    expect(q.lines.at(-1)!.seq).toBe(1000);
    expect(q.lines.length).toBeLessThan(1000);
    // seq stays contiguous inside what is kept
    q.lines.forEach((l, i) => i && expect(l.seq).toBe(q.lines[i - 1]!.seq + 1));
    await fs.rm(dir, { recursive: true });
  });

  it('gives each container the stored lines of its last second, for resuming', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir);
    await s.open();
    s.append(Array.from({ length: 3000 }, (_, i) => line(i, i < 2500 ? 'p1' : 'p2')));
    const points = await s.resumePoints();
    const p1 = points.get('p1/fn')!;
    expect(p1.at(-1)!.text).toBe('line 2499');
    expect(p1[0]!.ts >= '2026-11-22T04:00:01.000000000Z').toBe(true);
    expect(p1.length).toBe(1500); // from 04:00:01 (the second before 04:00:02.499's second)
    expect(points.get('p2/fn')!.length).toBe(500);
    await fs.rm(dir, { recursive: true });
  });

  it('reports busy above its high-water mark until written', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir, { highWaterBytes: 1000 });
    await s.open();
    s.append(Array.from({ length: 100 }, (_, i) => line(i)));
    expect(s.busy).toBe(true);
    await s.whenReady();
    expect(s.busy).toBe(false);
    await fs.rm(dir, { recursive: true });
  });

  it('continues seq after a restart whatever the length of the newest line (here 1 MiB)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir);
    await s.open();
    s.append([line(1), line(2), { ...line(3), text: 'x'.repeat(1024 * 1024) }]);
    await s.flushed();
    const again = new LogStore(dir);
    await again.open();
    expect(again.append([line(4)])[0]!.seq).toBe(4);
    await again.flushed();
    expect((await again.query({ limit: 10 })).lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    await fs.rm(dir, { recursive: true });
  });

  it('after a torn last line (a crash mid-append), appends start on a new line and seq follows the last whole line', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-'));
    const s = new LogStore(dir);
    await s.open();
    s.append([line(1), line(2)]);
    await s.flushed();
    const [segment] = await fs.readdir(dir);
    await fs.appendFile(path.join(dir, segment!), '{"ts":"2026-11-22T04:00:00.003000000Z","pod":"p1","text":"cut sho');
    const again = new LogStore(dir);
    await again.open();
    expect(again.append([line(3), line(4)]).map((l) => l.seq)).toEqual([3, 4]);
    await again.flushed();
    expect((await again.query({ limit: 10 })).lines.map((l) => [l.seq, l.text])).toEqual([
      [1, 'line 1'],
      [2, 'line 2'],
      [3, 'line 3'],
      [4, 'line 4'],
    ]);
    await fs.rm(dir, { recursive: true });
  });

  it('after a real kill -9 of a process appending to it: no line lost but the cut one, seq continues, new lines are whole', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-logs-kill-'));
    // A kill lands between two writes more often than inside one: go on (up to 8 rounds) until one cut a line.
    let cuts = 0;
    for (let round = 1; round <= 8 && !(cuts > 0 && round > 2); round++) {
      const afterMs = 50 + round * 40;
      await writeThenKill('logs', dir, afterMs);
      const segments = (await fs.readdir(path.join(dir, 'logs'))).sort();
      const cut = await endsMidLine(path.join(dir, 'logs', segments.at(-1)!));
      if (cut) cuts++;
      const s = new LogStore(path.join(dir, 'logs'));
      await s.open();
      const before = (await s.query({ limit: 1_000_000 })).lines;
      // Contiguous (the oldest segments may have rotated away): nothing doubled or skipped.
      before.forEach((l, i) => i && expect(l.seq).toBe(before[i - 1]!.seq + 1));
      const last = before.at(-1)!.seq;
      const added = s.append([line(1), line(2)]);
      expect(added.map((l) => l.seq)).toEqual([last + 1, last + 2]);
      await s.flushed();
      const after = (await s.query({ limit: 5 })).lines;
      expect(after.slice(-2).map((l) => [l.seq, l.text])).toEqual([
        [last + 1, 'line 1'],
        [last + 2, 'line 2'],
      ]);
      console.log(`[logs store] round ${round}, killed ${afterMs} ms in${cut ? ', mid-line' : ', between lines'}: ${before.length} whole lines kept (seq ${before[0]!.seq}..${last}), seq continued at ${last + 1}`);
    }
    await fs.rm(dir, { recursive: true });
  }, 60_000);
});
