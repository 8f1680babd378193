import { describe, expect, it } from 'vitest';
import { parseSpec } from './spec';

const base = { name: 'fn', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;\n' }] } as const;
const issuesOf = (raw: Record<string, unknown>) => Object.fromEntries(parseSpec({ ...base, ...raw }).issues.map((i) => [i.path, i.message]));

describe('text that cannot be stored', () => {
  // Every one of these round-trips through the API server when sent as escaped JSON.
  const storable = 'DEL\u007f C1\u0080\u009f NEL\u0085 LS\u2028 BOM\ufeff nonchars\ufffe\uffff emoji😀 tab\t CRLF\r\n NUL\u0000 ESC\u001b end';

  it('accepts every Unicode scalar value in sources, the manifest and the cron payload', () => {
    const p = parseSpec({
      ...base,
      files: [...base.files, { path: 'data.txt', content: storable }],
      // JSON strings cannot hold raw C0 controls; package.json gets the rest.
      dependencies: JSON.stringify({ description: storable }),
      cron: { schedule: '@hourly', payload: storable.replace('\u0000', '') },
    });
    expect(p.issues).toEqual([]);
    expect(p.spec!.files.find((f) => f.path === 'data.txt')!.content).toBe(storable);
  });

  it('refuses a lone surrogate in a file, naming file, line, column and character', () => {
    const content = 'exports.main = () => 1;\n// ok\r\nconst s = "\ud800";\n';
    expect(issuesOf({ files: [base.files[0], { path: 'lib/bad.js', content }] })).toEqual({
      'files.1.content': 'lib/bad.js line 3, column 12: a lone surrogate (U+D800) cannot be stored; remove it.',
    });
    expect(issuesOf({ files: [{ path: 'handler.js', content: 'x\udc00' }] })['files.0.content']).toMatch(/^handler\.js line 1, column 2: a lone surrogate \(U\+DC00\)/);
  });

  it('refuses a lone surrogate in the dependency manifest and the cron payload', () => {
    expect(issuesOf({ dependencies: '{\n "x": "\udbff"}' })).toEqual({ dependencies: expect.stringMatching(/^package\.json line 2, column 8: a lone surrogate \(U\+DBFF\)/) });
    expect(issuesOf({ cron: { schedule: '@daily', payload: '\ud83d' } })).toEqual({ 'cron.payload': expect.stringMatching(/^The cron payload, line 1, column 1: a lone surrogate \(U\+D83D\)/) });
    // The payload reaches the cron caller as an environment variable.
    expect(issuesOf({ cron: { schedule: '@daily', payload: '{}\n\u0000' } })).toEqual({ 'cron.payload': expect.stringMatching(/^The cron payload, line 2, column 1: a NUL character \(U\+0000\) cannot be passed/) });
  });

  it('refuses NUL and lone surrogates in environment values, naming the variable', () => {
    expect(issuesOf({ env: [{ name: 'OK', value: 'é😀\u007f' }, { name: 'TOKEN', value: 'ab\u0000c' }, { name: 'S', value: '\udfff' }] })).toEqual({
      'env.1.value': 'TOKEN line 1, column 3: a NUL character (U+0000) cannot be passed to a process in an environment variable; remove it.',
      'env.2.value': expect.stringMatching(/^S line 1, column 1: a lone surrogate \(U\+DFFF\)/),
    });
  });

  it('refuses a cron content type that is not a valid header value', () => {
    expect(issuesOf({ cron: { schedule: '@daily', contentType: 'text/plain; charset=ü€' } })).toEqual({ 'cron.contentType': expect.stringMatching(/"content-type".*"€" \(U\+20AC\).*Latin-1/) });
  });
});

describe('ambiguous handler files', () => {
  it('refuses handler.ts beside handler.js, naming both', () => {
    const files = [base.files[0], { path: 'handler.ts', content: 'export const main = () => 2;\n' }];
    for (const language of ['javascript', 'typescript']) {
      expect(issuesOf({ language, files })).toEqual({
        files: 'handler.js and handler.ts would both be deployed as handler.js, so the handler "handler.main" could mean either; remove or rename one of them.',
      });
    }
  });

  it('refuses any two files that compile to the same path', () => {
    const files = [base.files[0], { path: 'lib/a.js', content: '' }, { path: 'lib/a.mts', content: '' }];
    expect(issuesOf({ files })).toEqual({ files: 'lib/a.js and lib/a.mts would both be deployed as lib/a.js; remove or rename one of them.' });
  });
});

describe('unknown spec fields', () => {
  it('are a warning naming each field, at any depth, and do not change the spec', () => {
    const p = parseSpec({
      ...base,
      lables: { team: 'a' },
      memory: '1Gi',
      timeout: 5,
      timout: 5,
      nmae: 'x',
      zzz: 1,
      files: [{ ...base.files[0], mode: 0o644 }],
      env: [{ name: 'A', value: '1', secret: true }],
      scale: { min: 1, max: 1, minn: 2 },
      cron: { schedule: '@daily', paylaod: 'x' },
    });
    expect(p.issues).toEqual([]);
    expect(p.warnings).toEqual([
      'The spec has a field "files.0.mode" that Funcdeck does not know; it was ignored.',
      'The spec has a field "lables" that Funcdeck does not know; it was ignored. (Did you mean "labels"?)',
      'The spec has a field "memory" that Funcdeck does not know; it was ignored. (Did you mean "size"? It sets memory and CPU.)',
      'The spec has a field "timeout" that Funcdeck does not know; it was ignored. (Did you mean "timeoutSeconds"?)',
      'The spec has a field "timout" that Funcdeck does not know; it was ignored. (Did you mean "timeoutSeconds"?)',
      'The spec has a field "nmae" that Funcdeck does not know; it was ignored. (Did you mean "name"?)',
      'The spec has a field "zzz" that Funcdeck does not know; it was ignored.',
      'The spec has a field "env.0.secret" that Funcdeck does not know; it was ignored.',
      'The spec has a field "scale.minn" that Funcdeck does not know; it was ignored. (Did you mean "scale.min"?)',
      'The spec has a field "cron.paylaod" that Funcdeck does not know; it was ignored. (Did you mean "cron.payload"?)',
    ]);
    expect(p.spec).not.toHaveProperty('lables');
    const known = parseSpec({ ...base, env: [{ name: 'A', value: '1' }], scale: { min: 1, max: 1 }, cron: { schedule: '@daily' } });
    expect(known.warnings).toEqual([]);
    expect(p.spec).toEqual(known.spec);
  });

  it('are reported beside the issues of an invalid spec too', () => {
    const p = parseSpec({ ...base, name: 'Bad', colour: 'red' });
    expect(p.issues.map((i) => i.path)).toEqual(['name']);
    expect(p.warnings).toEqual(['The spec has a field "colour" that Funcdeck does not know; it was ignored.']);
  });
});
