import { describe, expect, it } from 'vitest';
import type { RevisionSource } from '../../../shared/contract/revisions';
import { changesBetween, lineChanges } from './changes';

const source = (revision: number, files: Record<string, string>, extra: Partial<RevisionSource['spec']> = {}, image = 'localhost/funcdeck/node:20'): RevisionSource => {
  const fileList = Object.entries(files).map(([path, content]) => ({ path, content }));
  return {
    name: 'a',
    revision,
    checksum: `c${revision}`,
    image,
    handler: 'handler.main',
    files: fileList,
    dependencies: '',
    spec: { name: 'a', runtime: 'nodejs', handler: 'handler.main', files: fileList, dependencies: '', env: [], size: 'S', timeoutSeconds: 180, scale: { min: 1, max: 1, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 }, ...extra },
  };
};

describe('line changes', () => {
  it('counts added and removed lines like diff does', () => {
    expect(lineChanges('a\nb\nc\n', 'a\nb\nc\n')).toEqual({ added: 0, removed: 0 });
    expect(lineChanges('a\nb\nc', 'a\nB\nc')).toEqual({ added: 1, removed: 1 });
    expect(lineChanges('a\nb\nc', 'a\nc')).toEqual({ added: 0, removed: 1 });
    expect(lineChanges('', 'x\ny')).toEqual({ added: 2, removed: 0 });
    expect(lineChanges('a\nb\nc\nd\ne', 'x\na\nc\nd\ny\ne')).toEqual({ added: 2, removed: 1 });
    // A large rewrite still answers, and adds up.
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    const other = Array.from({ length: 3000 }, (_, i) => `other ${i}`).join('\n');
    expect(lineChanges(big, other)).toEqual({ added: 3000, removed: 3000 });
  });
});

describe('changes between revisions', () => {
  it('names the files changed with their lines, and the settings that differ', () => {
    const one = source(1, { 'handler.js': "exports.main = () => 'one';\n" });
    const two = source(2, { 'handler.js': "exports.main = () => 'two';\n", 'lib.js': 'module.exports = 1;\n' }, { timeoutSeconds: 30, env: [{ name: 'MODE', value: 'x' }] });
    expect(changesBetween(one, two)).toEqual({ from: 1, files: ['handler.js', 'lib.js'], linesAdded: 2, linesRemoved: 1, settings: ['timeout', 'env'] });
  });

  it('shows a change of image alone', () => {
    const one = source(1, { 'handler.js': 'x' });
    const two = source(2, { 'handler.js': 'x' }, {}, 'localhost:1/funcdeck/missing:0');
    expect(changesBetween(one, two)).toEqual({ from: 1, files: [], linesAdded: 0, linesRemoved: 0, settings: ['image'] });
  });

  it('counts the dependency manifest as a file', () => {
    const one = source(1, { 'handler.js': 'x' });
    const two = { ...source(2, { 'handler.js': 'x' }), dependencies: '{"dependencies":{"left-pad":"1.3.0"}}' };
    expect(changesBetween(one, two)).toMatchObject({ files: ['package.json'], linesAdded: 1, linesRemoved: 0, settings: [] });
  });
});
