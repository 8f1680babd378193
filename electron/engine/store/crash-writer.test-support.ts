/**
 * A child process for the crash tests: writes to one of the stores in a loop until it is killed
 * (kill -9). Run with `node --import tsx crash-writer.test-support.ts <kind> <dir>`; prints
 * "writing" once its first write is on disk.
 *   logs     LogStore appends of numbered lines, some of them long
 *   history  invocation-history appends with large bodies
 *   atomic   writeJsonAtomic of a ~4 MB document, again and again
 */
import path from 'node:path';
import { InvokeRequest } from '../../../shared/contract/invoke';
import { createInvokeHistory } from '../invoke/history';
import { LogStore } from '../logs/store';
import { HISTORY_KEY } from './crash.test-support';
import { writeJsonAtomic } from './json-file';

const [kind, dir] = process.argv.slice(2);
if (!kind || !dir) throw new Error('usage: crash-writer <logs|history|atomic> <dir>');

let announced = false;
const announce = () => {
  if (!announced) console.log('writing');
  announced = true;
};

async function logs(): Promise<void> {
  const store = new LogStore(path.join(dir!, 'logs'));
  await store.open();
  for (let b = 0; ; b++) {
    const ts = new Date().toISOString().replace('Z', '000000Z');
    // Each batch ends with a 1.5 MiB line: Node writes it in 512 KiB pieces, so a kill often cuts it.
    store.append(Array.from({ length: 20 }, (_, i) => ({ ts, pod: 'p1', revision: '1', container: 'fn', requestId: null, text: i === 19 ? 'L'.repeat(1536 * 1024) : `batch ${b} line ${i}` })));
    await store.flushed();
    announce();
  }
}

async function history(): Promise<void> {
  const h = createInvokeHistory(dir!, 100_000);
  for (let i = 0; ; i++) {
    const body = { kind: 'text' as const, content: 'b'.repeat(1536 * 1024) };
    await h.append(HISTORY_KEY, {
      id: `w-${process.pid}-${i}`,
      invokedAt: new Date().toISOString(),
      request: InvokeRequest.parse({ function: 'hello', method: 'POST', path: `/${i}`, body }),
      summary: { status: 200, statusText: 'OK', sizeBytes: 2, requestId: `r${i}`, revision: '1', totalMs: 1, functionMs: null, error: null },
    });
    announce();
  }
}

async function atomic(): Promise<void> {
  const payload = 'x'.repeat(4 * 1024 * 1024);
  for (let i = 0; ; i++) {
    await writeJsonAtomic(path.join(dir!, 'doc.json'), { i, payload, check: i * 7 });
    announce();
  }
}

await ({ logs, history, atomic } as Record<string, () => Promise<void>>)[kind]!();
