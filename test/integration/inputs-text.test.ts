import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, createNamespace, deleteNamespace, harness, invokeUntilReady, type FunctionsHarness } from './support-functions';

/**
 * Any Unicode text validation accepts reaches the cluster and comes back byte for byte: in the
 * revision's stored sources (revisions.source), in the files the pod reads, and in environment values.
 * What cannot round-trip (lone surrogates; NUL in environment values) is refused by validation
 * (electron/engine/functions/spec.test.ts).
 * The round-trip rests on the apply body being JSON with non-printable code points escaped
 * (electron/engine/deploy/yaml-safe-json.ts); before it, the API server refused the YAML.
 */

// Each character that YAML or a careless encoder loses or refuses: C0 controls (NUL, SOH, ESC), DEL,
// C1 controls, NEL (YAML folds it to a space), the line and paragraph separators, a BOM in the
// middle, the noncharacters U+FFFE/U+FFFF, an astral emoji, and CR LF and a lone CR.
const EXOTIC: Record<string, string> = {
  nul: '\u0000',
  soh: '\u0001',
  esc: '\u001b',
  del: '\u007f',
  c1: '\u0080\u0099\u009f',
  nel: '\u0085',
  lsps: '\u2028\u2029',
  bom: '\ufeff',
  nonchars: '\ufffe\uffff',
  emoji: '😀👩‍💻',
  crlf: 'a\r\nb\rc\n',
};
const ALL = Object.values(EXOTIC).join('|');
const ENV_VALUE = ALL.replace('\u0000', ''); // NUL cannot be in an environment value (refused by validation)

// The handler reports what the pod sees, as base64 so the answer's own encoding cannot hide a change.
const HANDLER = `const fs = require('fs');
const path = require('path');
/* exotic in a comment: ${ALL} */
exports.main = async () => ({
  file: fs.readFileSync(path.join(__dirname, 'data.txt')).toString('base64'),
  env: Buffer.from(process.env.EXOTIC || '', 'utf8').toString('base64'),
});
`;

let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('text');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('exotic text round-trips through the cluster byte for byte', () => {
  it('sources, a data file per character, an env value and the dependency manifest come back unchanged', async () => {
    const files = [
      { path: 'handler.js', content: HANDLER },
      { path: 'data.txt', content: ALL },
      ...Object.entries(EXOTIC).map(([name, text]) => ({ path: `chars/${name}.txt`, content: `<${text}>` })),
    ];
    const dependencies = JSON.stringify({ name: 'exotic', description: ENV_VALUE }, null, 2);
    const spec = { name: 'exotic', runtime: 'nodejs' as const, handler: 'handler.main', files, dependencies, env: [{ name: 'EXOTIC', value: ENV_VALUE }] };

    const check = await h.call('functions.validate', { spec });
    expect(check).toMatchObject({ ok: true, issues: [], diagnostics: [] });
    const deployed = await h.call('functions.deploy', { spec, wait: true });
    expect(deployed).toMatchObject({ revision: 1, created: true, ready: true });

    const source = await h.call('revisions.source', { name: 'exotic', revision: 1 });
    const byPath = new Map(source.files.map((f) => [f.path, f.content]));
    for (const f of files) expect(Buffer.from(byPath.get(f.path) ?? '', 'utf8').toString('hex'), f.path).toBe(Buffer.from(f.content, 'utf8').toString('hex'));
    expect(source.dependencies).toBe(dependencies);
    expect(source.spec.env).toEqual([{ name: 'EXOTIC', value: ENV_VALUE }]);

    const answer = await invokeUntilReady(ns, 'exotic', 1, 60_000);
    const seen = JSON.parse(answer.text) as { file: string; env: string };
    expect(Buffer.from(seen.file, 'base64').toString('hex')).toBe(Buffer.from(ALL, 'utf8').toString('hex'));
    expect(Buffer.from(seen.env, 'base64').toString('hex')).toBe(Buffer.from(ENV_VALUE, 'utf8').toString('hex'));

    // The same spec again is the same revision: what came back checksums like what was sent.
    expect(await h.call('functions.deploy', { spec })).toMatchObject({ revision: 1, created: false });
  });

  it('refuses a lone surrogate before anything is written, naming file, line and column', async () => {
    const spec = { name: 'lone', runtime: 'nodejs' as const, handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;\n// \ud800\n' }] };
    await expect(h.call('functions.deploy', { spec })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringContaining('handler.js line 2, column 4: a lone surrogate (U+D800) cannot be stored; remove it.'),
    });
    const left = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'funcdeck.dev/function=lone' });
    expect(left.items).toEqual([]);
  });
});
