import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import type { EngineOptions } from '../options';
import { settingsHandlers } from './handlers';
import { storeProblemsIn } from '../store/problems';
import { createSettingsSource, mergeStored } from './source';

async function options(env: NodeJS.ProcessEnv = {}): Promise<EngineOptions> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-settings-'));
  return { mode: 'web', version: 't', env, homeDir: dataDir, dataDir };
}

describe('settings source', () => {
  it('persists updates to dataDir/settings.json and reads them back in a new engine', async () => {
    const opts = await options();
    const h = settingsHandlers(createSettingsSource(opts));
    expect(await h['settings.get']({})).toEqual(DEFAULT_SETTINGS);
    const next = await h['settings.update']({ revisionsToKeep: 9, theme: 'dark' });
    expect(next.revisionsToKeep).toBe(9);
    const onDisk = JSON.parse(await fs.readFile(path.join(opts.dataDir, 'settings.json'), 'utf8'));
    expect(onDisk.theme).toBe('dark');
    const again = settingsHandlers(createSettingsSource(opts));
    expect((await again['settings.get']({})).revisionsToKeep).toBe(9);
  });

  it('lets FUNCDECK_IMAGE_NODE/PYTHON override the stored runtime images', async () => {
    const opts = await options({ FUNCDECK_IMAGE_NODE: 'localhost/node:x' });
    const src = createSettingsSource(opts);
    await settingsHandlers(src)['settings.update']({ runtimeImages: { nodejs: 'mine:1', python: 'py:1' } });
    expect(src.get().runtimeImages).toEqual({ nodejs: 'localhost/node:x', python: 'py:1' });
    expect(src.stored().runtimeImages.nodejs).toBe('mine:1');
  });

  it('rejects invalid updates with BAD_REQUEST and keeps a broken file from stopping the app', async () => {
    const opts = await options();
    await expect(settingsHandlers(createSettingsSource(opts))['settings.update']({ revisionsToKeep: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(mergeStored({ revisionsToKeep: 'x', theme: 'light', bogus: 1 })).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
  });

  it('a damaged settings.json is kept aside and reported; defaults are used and the next change does not overwrite it', async () => {
    const opts = await options();
    const file = path.join(opts.dataDir, 'settings.json');
    await fs.writeFile(file, '{"theme": "dark", "revisionsToKeep": 9');
    const src = createSettingsSource(opts);
    expect(src.get()).toEqual(DEFAULT_SETTINGS);
    await settingsHandlers(src)['settings.update']({ theme: 'light' });
    const aside = (await fs.readdir(opts.dataDir)).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside.length).toBe(1);
    expect(await fs.readFile(path.join(opts.dataDir, aside[0]!), 'utf8')).toBe('{"theme": "dark", "revisionsToKeep": 9');
    expect(JSON.parse(await fs.readFile(file, 'utf8')).theme).toBe('light');
    expect(storeProblemsIn(opts.dataDir)).toEqual([expect.objectContaining({ file, keptAs: path.join(opts.dataDir, aside[0]!) })]);
    expect(storeProblemsIn(opts.dataDir)[0]!.problem).toMatch(/^Settings \(.*not valid JSON.*defaults are used/);
  });
});
