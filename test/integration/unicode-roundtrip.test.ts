import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, harness, nodeSpec, type FunctionsHarness } from './support-functions';
import { allFuncdeckObjects, rejection } from './support-ownership';

/**
 * Any valid Unicode text in a function's files is stored byte for byte (deploy -> revisions.source),
 * including what YAML refuses or folds when sent raw; text that is not valid Unicode (a lone
 * surrogate) is refused naming the file and line, and nothing is written.
 */
let ns: string;
let h: FunctionsHarness;

beforeAll(async () => {
  ns = await createNamespace('unicode');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const TEXT = [
  'DEL [\u007f]',
  'C1 [\u0080\u0081\u009b\u009f]',
  'NEL [\u0085]',
  'LS PS [\u2028\u2029]',
  'BOM [\ufeff]',
  'nonchars [\ufffe\uffff]',
  'astral [😀 𝄞 \u{10ffff}]',
  'C0 [\u0000\u0001\u001b\t]',
  'quotes [" \\ \' \\u0041 \\x41]',
  'CRLF [\r\n] CR [\r] end',
].join('\n');

describe('text round-trips', () => {
  it('byte for byte through deploy and revisions.source', async () => {
    const spec = nodeSpec('unicode', 'exports.main = () => 1;\n');
    spec.files.push({ path: 'data.txt', content: TEXT });
    const r = await h.call('functions.deploy', { spec, wait: false });
    const src = await h.call('revisions.source', { name: 'unicode', revision: r.revision });
    const data = src.files.find((f) => f.path === 'data.txt')!;
    expect(Buffer.from(data.content, 'utf8').equals(Buffer.from(TEXT, 'utf8'))).toBe(true);
  });

  it('a lone surrogate is refused naming the file and line, and nothing is written', async () => {
    const spec = nodeSpec('lone', 'exports.main = () => 1;\n');
    spec.files.push({ path: 'data.txt', content: 'line one\nline \ud800two\n' });
    const e = await rejection(h.call('functions.deploy', { spec, wait: false }));
    expect(e.code).toBe('INVALID_SPEC');
    // Spec validation refuses it first ("data.txt line 2, column 6: ..."); the apply's own check says "data.txt:2:6".
    expect(e.message).toMatch(/data\.txt(:| line )2\b/);
    expect(await allFuncdeckObjects(ns, 'lone')).toEqual([]);
  });
});
