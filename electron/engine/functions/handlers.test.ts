import { describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract';
import { FuncdeckError } from '../../../shared/contract/errors';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import type { EngineContext } from '../context';
import { defaultEngineOptions } from '../options';
import { functionsHandlers } from './handlers';

const ctx: EngineContext = {
  options: defaultEngineOptions('web', 'test', { HOME: '/nonexistent' }),
  clusters: {
    target: () => {
      throw new FuncdeckError('NO_CONTEXT_SELECTED', 'No cluster context is selected.');
    },
    onChange: () => () => undefined,
  },
  settings: { get: () => DEFAULT_SETTINGS, runtimeImages: async () => DEFAULT_SETTINGS.defaultImages },
  onDispose: () => undefined,
};
const h = functionsHandlers(ctx);

describe('functions handlers without a cluster', () => {
  // Builds every template, so it loads the TypeScript compiler: seconds on a busy 2-core machine.
  it('offer templates for every runtime that pass validation and build, matching the contract', { timeout: 30_000 }, async () => {
    const templates = calls['functions.templates'].result.parse(await h.calls['functions.templates']({}));
    expect(new Set(templates.map((t) => t.language))).toEqual(new Set(['javascript', 'typescript', 'python']));
    expect(templates.filter((t) => t.runtime === 'python')).toHaveLength(3);
    for (const t of templates) {
      const v = calls['functions.validate'].result.parse(
        await h.calls['functions.validate']({ spec: { name: 'tpl', runtime: t.runtime, language: t.language, handler: t.handler, files: t.files, dependencies: t.dependencies } }),
      );
      expect({ id: t.id, ok: v.ok, issues: v.issues, diagnostics: v.diagnostics }).toEqual({ id: t.id, ok: true, issues: [], diagnostics: [] });
    }
    expect(await h.calls['functions.templates']({ runtime: 'python' })).toHaveLength(3);
  });

  it('mark syntax errors even when other fields are invalid too', async () => {
    const v = await h.calls['functions.validate']({ spec: { name: 'Bad Name', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => {' }] } });
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.path)).toEqual(['name']);
    expect(v.diagnostics).toHaveLength(1);
    expect(v.diagnostics[0]).toMatchObject({ file: 'handler.js', line: 1, severity: 'error' });
  });

  it('list the runtimes with the images from settings', async () => {
    const runtimes = calls['functions.runtimes'].result.parse(await h.calls['functions.runtimes']({}));
    expect(runtimes.map((r) => [r.id, r.image, r.dependencyFile])).toEqual([
      ['nodejs', DEFAULT_SETTINGS.defaultImages.nodejs, 'package.json'],
      ['python', DEFAULT_SETTINGS.defaultImages.python, 'requirements.txt'],
    ]);
  });

  it('validate without a cluster, and say plainly when one is needed', async () => {
    const v = await h.calls['functions.validate']({ spec: { name: 'x', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }] } });
    expect(v).toMatchObject({ ok: true, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(h.calls['functions.list']({})).rejects.toMatchObject({ code: 'NO_CONTEXT_SELECTED' });
    await expect(
      h.calls['functions.deploy']({ spec: { name: 'x', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }] }, wait: false }),
    ).rejects.toMatchObject({ code: 'NO_CONTEXT_SELECTED' });
    // Its progress stream still ends, saying why.
    await expect(
      h.calls['functions.deploy']({ spec: { name: 'y', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: '' }] }, deployId: 'no-cluster', wait: false }),
    ).rejects.toBeTruthy();
    const events: Array<{ final: boolean; phase: string; reason: string | null }> = [];
    await h.streams['deploy.progress']({ deployId: 'no-cluster' }, { emit: (e) => void events.push(e), signal: new AbortController().signal });
    expect(events.at(-1)).toMatchObject({ final: true, phase: 'failed', reason: expect.stringMatching(/No cluster context/) });
  });
});
