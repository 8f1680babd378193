import { describe, expect, it } from 'vitest';
import { RevisionSettings, type RevisionSource } from '../../../shared/contract/revisions';
import { changesBetween, settingsOf } from './changes';

const files = [{ path: 'handler.js', content: 'exports.main = () => 1;\n' }];
const source = (revision: number, extra: Partial<RevisionSource['spec']> = {}): RevisionSource => ({
  name: 'a',
  revision,
  checksum: `c${revision}`,
  image: 'localhost/funcdeck/node:20',
  handler: 'handler.main',
  files,
  dependencies: '',
  spec: { name: 'a', runtime: 'nodejs', handler: 'handler.main', files, dependencies: '', env: [], size: 'S', timeoutSeconds: 180, scale: { min: 1, max: 1, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 }, ...extra },
});

describe("a revision's whole spec in its settings and changes", () => {
  it('carries labels, annotations, Secret/ConfigMap references and exact resources, and names each that changed', () => {
    const extras = {
      labels: { team: 'a' },
      annotations: { note: 'x' },
      envFrom: [{ from: 'secret' as const, name: 'db' }],
      mounts: [{ from: 'configMap' as const, name: 'cfg', path: '/etc/cfg' }],
      resources: { limits: { memory: '200Mi' } },
    };
    const settings = RevisionSettings.parse(settingsOf(source(2, extras)));
    expect(settings).toMatchObject(extras);
    expect(changesBetween(source(1), source(2, extras)).settings).toEqual(['labels', 'annotations', 'envFrom', 'mounts', 'resources']);
    expect(changesBetween(source(2, extras), source(3, { ...extras, resources: { limits: { memory: '300Mi' } } })).settings).toEqual(['resources']);
    // A revision without extras has none in its settings, so older revisions read as before.
    expect(Object.keys(settingsOf(source(1)))).not.toContain('labels');
  });
});
