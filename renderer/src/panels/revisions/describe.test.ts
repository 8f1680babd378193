import { describe, expect, it } from 'vitest';
import type { RevisionInfo, RevisionSettings } from '../../../../shared/contract/revisions';
import { changesText, settingsDocument, settingsText } from './describe';

const settings = (over: Partial<RevisionSettings> = {}): RevisionSettings => ({
  image: 'localhost/funcdeck/node:20',
  runtime: 'nodejs',
  language: 'javascript',
  handler: 'handler.main',
  size: 'S',
  timeoutSeconds: 180,
  scale: { min: 1, max: 1 },
  env: [],
  dependencies: '',
  cron: null,
  ...over,
});
const rev = (over: Partial<RevisionInfo>): RevisionInfo => ({
  number: 2,
  created: null,
  checksum: 'c',
  image: '',
  ready: 1,
  desired: 1,
  trafficPercent: 0,
  serving: false,
  status: 'Ready',
  reason: null,
  failedAt: null,
  rolledBackFrom: false,
  settings: settings(),
  changes: null,
  ...over,
});

describe('revision descriptions', () => {
  it('say what changed: files with lines, settings by name, or the first revision', () => {
    expect(changesText(rev({ changes: { from: 1, files: ['handler.js'], linesAdded: 3, linesRemoved: 1, settings: [] } }))).toBe('handler.js +3 −1');
    expect(changesText(rev({ changes: { from: 1, files: ['a.js', 'b.js'], linesAdded: 5, linesRemoved: 0, settings: ['timeout'] } }))).toBe('2 files +5 −0; timeout');
    expect(changesText(rev({ changes: { from: 1, files: [], linesAdded: 0, linesRemoved: 0, settings: ['image'] } }))).toBe('image');
    expect(changesText(rev({ number: 1 }))).toBe('first revision');
  });

  it('sum up image and settings, and spell them out line by line for the diff', () => {
    expect(settingsText(settings())).toBe('node:20 · S · 180 s · 1 pod');
    expect(settingsText(settings({ env: [{ name: 'A', value: '1' }], dependencies: '{"dependencies":{"x":"1","y":"2"}}', scale: { min: 1, max: 3 } }))).toBe(
      'node:20 · S · 180 s · 1–3 pods · env 1 · 2 dependencies',
    );
    const doc = settingsDocument(settings({ env: [{ name: 'MODE', value: 'fast' }] }));
    expect(doc.split('\n').slice(0, 2)).toEqual(['image: localhost/funcdeck/node:20', 'runtime: nodejs (javascript)']);
    expect(doc).toContain('  MODE=fast');
  });
});
