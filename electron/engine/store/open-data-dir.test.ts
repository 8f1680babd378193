import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appHandlers } from '../app/handlers';
import { defaultEngineOptions } from '../options';
import { createInvokeHistory } from '../invoke/history';
import { InvokeRequest } from '../../../shared/contract/invoke';
import { DataDirBusyError } from './data-dir-lock';
import { openDataDir } from './open-data-dir';

describe('opening the data dir at start', () => {
  it('locks it, cleans stale temp files and finds damaged files before the UI asks (app.info lists them)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-open-'));
    const k = { context: 'c', namespace: 'dev', function: 'hello' };
    await createInvokeHistory(dir).savedSave(k, 'a', InvokeRequest.parse({ function: 'hello' }));
    const saved = (await fs.readdir(path.join(dir, 'invocations'), { recursive: true })).map(String).find((f) => f.endsWith('.saved.json'))!;
    await fs.writeFile(path.join(dir, 'invocations', saved), '[{"name": "a"');
    await fs.mkdir(path.join(dir, 'drafts'));
    await fs.writeFile(path.join(dir, 'drafts', '0123.json'), '{');
    await fs.writeFile(path.join(dir, 'drafts', '0123.json.abcdef01.tmp'), '{');

    const opened = await openDataDir(dir, 'web');
    expect(opened.removedTemp.map((f) => path.basename(f))).toEqual(['0123.json.abcdef01.tmp']);
    await expect(openDataDir(dir, 'web')).rejects.toBeInstanceOf(DataDirBusyError);
    const info = await appHandlers({ ...defaultEngineOptions('web', 't', {}), dataDir: dir })['app.info']({});
    expect(info.storeProblems!.map((p) => path.basename(p.file)).sort()).toEqual(['0123.json', 'hello.saved.json']);
    expect(info.storeProblems!.every((p) => p.keptAs && p.problem.includes(p.keptAs))).toBe(true);
    await opened.lock.release();
    await fs.rm(dir, { recursive: true });
  });
});
