import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkbenchPlace } from '../../../shared/contract/workbench';
import { calls } from '../../../shared/contract';
import { storeProblemsIn } from '../store/problems';
import { createWorkbenchStore } from './store';

const place = (over: Partial<WorkbenchPlace> = {}): WorkbenchPlace => ({
  namespace: 'apps',
  open: { namespace: 'apps', name: 'hello' },
  fileTab: 'handler.js',
  panelTab: 'logs',
  unsaved: { namespace: 'apps', name: 'hello', spec: { files: [{ path: 'handler.js', content: 'typed' }] } },
  invoke: null,
  recent: [],
  ...over,
});

const filesIn = async (dir: string) => (await fs.readdir(path.join(dir, 'workbench')).catch(() => [] as string[])).sort();

describe('workbench store', () => {
  it('keeps a place per context, sees a save at once, and writes it once the changes settle', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-workbench-'));
    const store = createWorkbenchStore(dir, { delayMs: 50 });
    for (let i = 0; i < 20; i++) store.save('kind-a', place({ fileTab: `f${i}.js` }));
    store.save('arn:aws:eks:x/y', place({ namespace: 'other', open: null, unsaved: null }));
    // Not written yet: many changes make one write.
    expect(await filesIn(dir)).toEqual([]);
    expect((await store.get('kind-a')).place?.fileTab).toBe('f19.js');
    await new Promise((r) => setTimeout(r, 300));
    expect((await filesIn(dir)).length).toBe(2);
    const again = createWorkbenchStore(dir);
    expect((await again.get('kind-a')).place).toEqual(place({ fileTab: 'f19.js' }));
    expect((await again.get('arn:aws:eks:x/y')).place?.namespace).toBe('other');
    expect(await again.get('never-seen')).toEqual({ place: null, layout: null });
    await fs.rm(dir, { recursive: true });
  });

  it('flush writes what is pending (the engine stopping), atomically, leaving no temp file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-workbench-'));
    const store = createWorkbenchStore(dir, { delayMs: 60_000 });
    store.save('kind-a', place());
    store.saveLayout({ panelHeight: 420 });
    await store.flush();
    expect(await filesIn(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json$/), 'layout.json'].sort());
    const again = createWorkbenchStore(dir);
    expect(await again.get('kind-a')).toEqual({ place: place(), layout: { panelHeight: 420 } });
    await fs.rm(dir, { recursive: true });
  });

  it('a damaged file is kept aside and reported; the context opens as new', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-workbench-'));
    const store = createWorkbenchStore(dir, { delayMs: 10_000 });
    store.save('kind-a', place());
    await store.flush();
    const [file] = await filesIn(dir);
    await fs.writeFile(path.join(dir, 'workbench', file!), '{"context":"kind-a","place":{"namesp');
    const again = createWorkbenchStore(dir);
    expect((await again.get('kind-a')).place).toBeNull();
    expect((await filesIn(dir)).some((f) => f.startsWith(`${file}.corrupt-`))).toBe(true);
    expect(storeProblemsIn(dir)[0]?.problem).toMatch(/^The kept workbench of a context \(/);
    await fs.rm(dir, { recursive: true });
  });

  it('the contract takes a place with unsaved text up to the draft limit, and refuses an unknown panel tab', () => {
    const params = calls['workbench.save'].params;
    expect(params.safeParse({ context: 'c', place: place() }).success).toBe(true);
    expect(params.safeParse({ context: 'c', place: { ...place(), panelTab: 'shell' } }).success).toBe(false);
    expect(params.safeParse({ context: 'c', place: place({ unsaved: { namespace: 'a', name: 'b', spec: 'x'.repeat(5 * 1024 * 1024) } }) }).success).toBe(false);
  });
});
