import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, STOCK_IMAGES } from '../../../shared/contract/settings';
import type { ClusterAccess, ClusterTarget } from '../kube/access';
import type { EngineOptions } from '../options';
import type { DetectedImages } from './detect-images';
import { settingsHandlers } from './handlers';
import { storeProblemsIn } from '../store/problems';
import { createSettingsSource, mergeStored } from './source';

async function options(env: NodeJS.ProcessEnv = {}): Promise<EngineOptions> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-settings-'));
  return { mode: 'web', version: 't', env, homeDir: dataDir, dataDir };
}

const LOCAL = { nodejs: 'localhost/funcdeck/node:20', python: 'localhost/funcdeck/python:3.11' };

/** A selectable target and a detector that counts its calls; no cluster is involved. */
function fakeCluster(found: Record<string, DetectedImages>) {
  let current: ClusterTarget | null = null;
  const detections: string[] = [];
  const clusters: ClusterAccess = {
    target() {
      if (!current) throw new Error('none selected');
      return current;
    },
    onChange: () => () => undefined,
  };
  const select = (context: string) => {
    current = { context, namespace: 'default', flavor: 'other', kc: { getCurrentCluster: () => ({ server: `https://${context}` }) } as unknown as KubeConfig, signal: new AbortController().signal };
  };
  const detect = async (t: ClusterTarget) => {
    detections.push(t.context);
    return found[t.context] ?? { images: {}, how: 'nothing here', checked: true };
  };
  return { clusters, select, detect, detections };
}

describe('settings source', () => {
  it('persists updates to dataDir/settings.json and reads them back in a new engine', async () => {
    const opts = await options();
    const h = settingsHandlers(createSettingsSource(opts));
    expect(await h['settings.get']({})).toEqual(DEFAULT_SETTINGS);
    const next = await h['settings.update']({ revisionsToKeep: 9, theme: 'dark', defaultImages: { python: 'python:3.13-slim' } });
    expect(next).toMatchObject({ revisionsToKeep: 9, defaultImages: { nodejs: STOCK_IMAGES.nodejs, python: 'python:3.13-slim' } });
    const onDisk = JSON.parse(await fs.readFile(path.join(opts.dataDir, 'settings.json'), 'utf8'));
    expect(onDisk.theme).toBe('dark');
    const again = settingsHandlers(createSettingsSource(opts));
    expect(await again['settings.get']({})).toEqual(next);
  });

  it('migrates a settings.json of the old shape (one runtimeImages for every context) without losing the values', async () => {
    const opts = await options();
    await fs.writeFile(path.join(opts.dataDir, 'settings.json'), JSON.stringify({ runtimeImages: { nodejs: 'mine/node:1' }, theme: 'light', revisionsToKeep: 7 }));
    const src = createSettingsSource(opts);
    expect(src.get()).toEqual({ ...DEFAULT_SETTINGS, defaultImages: { nodejs: 'mine/node:1', python: STOCK_IMAGES.python }, theme: 'light', revisionsToKeep: 7 });
    // The next write stores the new shape only.
    await settingsHandlers(src)['settings.update']({ theme: 'dark' });
    const onDisk = JSON.parse(await fs.readFile(path.join(opts.dataDir, 'settings.json'), 'utf8'));
    expect(onDisk).not.toHaveProperty('runtimeImages');
    expect(onDisk.defaultImages.nodejs).toBe('mine/node:1');
  });

  it('keeps the valid parts of a damaged file and never stops the app', async () => {
    const opts = await options();
    expect(mergeStored({ revisionsToKeep: 'x', theme: 'light', bogus: 1, contextImages: { a: { nodejs: 'ok:1', python: 'BAD IMAGE' }, b: 'nope' } })).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'light',
      contextImages: { a: { nodejs: 'ok:1' } },
    });
    await fs.writeFile(path.join(opts.dataDir, 'settings.json'), '{not json');
    expect(createSettingsSource(opts).get()).toEqual(DEFAULT_SETTINGS);
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

  it('refuses invalid updates with BAD_REQUEST naming the field', async () => {
    const h = settingsHandlers(createSettingsSource(await options()));
    await expect(h['settings.update']({ revisionsToKeep: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/revisionsToKeep: Keep at least 1/) });
  });
});

describe('runtime images per context', () => {
  it('uses what the cluster shows, what the user set for the context, and the default elsewhere', async () => {
    const opts = await options();
    const fake = fakeCluster({ dev: { images: LOCAL, how: 'Found them.', checked: true } });
    const src = createSettingsSource(opts, fake.clusters, fake.detect);
    const h = settingsHandlers(src);

    // Nothing selected: the defaults.
    expect(await src.runtimeImages()).toEqual(STOCK_IMAGES);
    expect(await h['settings.images']({})).toMatchObject({ context: null });

    fake.select('dev');
    expect(await src.runtimeImages()).toEqual(LOCAL);
    expect(await h['settings.images']({})).toEqual({
      context: 'dev',
      detection: 'Found them.',
      runtimes: [
        { runtime: 'nodejs', image: LOCAL.nodejs, source: 'detected', environment: null, set: null, detected: LOCAL.nodejs, default: STOCK_IMAGES.nodejs },
        { runtime: 'python', image: LOCAL.python, source: 'detected', environment: null, set: null, detected: LOCAL.python, default: STOCK_IMAGES.python },
      ],
    });

    await h['settings.update']({ contextImages: { dev: { python: 'py:9' } } });
    expect(await src.runtimeImages()).toEqual({ nodejs: LOCAL.nodejs, python: 'py:9' });
    expect((await h['settings.images']({})).runtimes[1]).toMatchObject({ image: 'py:9', source: 'context', detected: LOCAL.python });

    fake.select('kind-kind');
    expect(await src.runtimeImages()).toEqual(STOCK_IMAGES);
    expect((await h['settings.images']({})).runtimes[0]).toMatchObject({ source: 'default', detected: null });

    // Reset to detected: the context's entry goes.
    fake.select('dev');
    await h['settings.update']({ contextImages: {} });
    expect(await src.runtimeImages()).toEqual(LOCAL);
    // Detected once per context, not on every call.
    expect(fake.detections).toEqual(['dev', 'kind-kind']);
  });

  it('lets FUNCDECK_IMAGE_NODE/PYTHON win in every context', async () => {
    const fake = fakeCluster({ dev: { images: LOCAL, how: 'Found them.', checked: true } });
    const src = createSettingsSource(await options({ FUNCDECK_IMAGE_NODE: 'localhost/node:x' }), fake.clusters, fake.detect);
    fake.select('dev');
    await settingsHandlers(src)['settings.update']({ contextImages: { dev: { nodejs: 'mine:1' } } });
    expect(await src.runtimeImages()).toEqual({ nodejs: 'localhost/node:x', python: LOCAL.python });
    expect((await settingsHandlers(src)['settings.images']({})).runtimes[0]).toMatchObject({ source: 'environment', environment: 'localhost/node:x', set: 'mine:1' });
  });

  it('asks again next time when the cluster could not be asked', async () => {
    const fake = fakeCluster({ down: { images: {}, how: 'Could not list the nodes.', checked: false } });
    const src = createSettingsSource(await options(), fake.clusters, fake.detect);
    fake.select('down');
    expect(await src.runtimeImages()).toEqual(STOCK_IMAGES);
    await src.runtimeImages();
    expect(fake.detections).toEqual(['down', 'down']);
  });
});
