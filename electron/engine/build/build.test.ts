import { describe, expect, it } from 'vitest';
import { parseSpec } from '../functions/spec';
import { buildFunction } from './build';
import { checkPythonSources } from './check-python';

const base = { name: 'fn', runtime: 'nodejs', handler: 'handler.main' } as const;
function spec(extra: Record<string, unknown>) {
  const p = parseSpec({ ...base, ...extra });
  if (!p.spec) throw new Error(JSON.stringify(p.issues));
  return p.spec;
}

describe('parseSpec', () => {
  it('gives one message per bad field, with its path', () => {
    const p = parseSpec({
      name: 'Bad_Name',
      runtime: 'ruby',
      handler: 'nodot',
      files: [{ path: '../x.js', content: '' }],
      env: [{ name: '1X', value: 'v' }],
      timeoutSeconds: 0,
      size: 'XXL',
      scale: { min: 3, max: 2 },
      cron: { schedule: 'every minute' },
    });
    const paths = Object.fromEntries(p.issues.map((i) => [i.path, i.message]));
    expect(Object.keys(paths).sort()).toEqual(
      ['cron.schedule', 'env.0.name', 'files.0.path', 'handler', 'name', 'runtime', 'scale.min', 'size', 'timeoutSeconds'].sort(),
    );
    expect(paths.name).toMatch(/lowercase letters/);
    expect(paths['env.0.name']).toMatch(/not starting with a digit/);
    expect(paths.timeoutSeconds).toMatch(/at least 1 second/);
  });

  it('rejects names over 40 characters and a handler file that is missing', () => {
    const p = parseSpec({ ...base, name: 'a'.repeat(41), files: [{ path: 'other.js', content: '' }] });
    expect(p.issues.map((i) => i.path).sort()).toEqual(['handler', 'name']);
    expect(p.issues.find((i) => i.path === 'handler')?.message).toMatch(/handler\.js, which is not among the files/);
  });

  it('fills defaults, and takes scale to zero and autoscaling (the namespace gateway carries them)', () => {
    const s = spec({ files: [{ path: 'handler.js', content: '' }] });
    expect(s).toMatchObject({ language: 'javascript', size: 'S', timeoutSeconds: 180, scale: { min: 1, max: 1 }, env: [], cron: null });
    const zero = parseSpec({ ...base, files: [{ path: 'handler.js', content: '' }], scale: { min: 0, max: 4, targetConcurrency: 10, scaleToZeroGraceSeconds: 30 } });
    expect(zero.issues).toEqual([]);
    expect(zero.warnings).toEqual([]);
    expect(zero.spec?.scale).toEqual({ min: 0, max: 4, targetConcurrency: 10, scaleToZeroGraceSeconds: 30 });
    // bad scale settings are still refused, naming the field
    const bad = parseSpec({ ...base, files: [{ path: 'handler.js', content: '' }], scale: { min: 3, max: 2, scaleToZeroGraceSeconds: -1 } });
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['scale.min', 'scale.scaleToZeroGraceSeconds']);
    const minOverMax = parseSpec({ ...base, files: [{ path: 'handler.js', content: '' }], scale: { min: 3, max: 2 } });
    expect(minOverMax.issues).toEqual([{ path: 'scale.min', message: 'Minimum replicas must not exceed the maximum.' }]);
  });
});

describe('buildFunction', () => {
  it('locates a JavaScript syntax error by line and column', async () => {
    const s = spec({ files: [{ path: 'handler.js', content: 'module.exports.main = () => {\n  return {a: 1;\n};\n' }] });
    const out = await buildFunction(s, 'img');
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ file: 'handler.js', line: 2, column: 15, severity: 'error', source: 'javascript' });
  });

  it('compiles TypeScript to CommonJS and keeps plain CommonJS byte for byte', async () => {
    const s = spec({
      language: 'typescript',
      files: [
        { path: 'handler.ts', content: "import { greet } from './lib/greet';\nexport async function main(e: { data: string }): Promise<string> { return greet(e.data); }\n" },
        { path: 'lib/greet.ts', content: 'export const greet = (n: string): string => `hi ${n}`;\n' },
      ],
    });
    const out = await buildFunction(s, 'img');
    expect(out.ok).toBe(true);
    const handler = out.files.find((f) => f.path === 'handler.js')!;
    expect(handler.content).toMatch(/exports\.main = main/);
    expect(handler.content).toMatch(/require\("\.\/lib\/greet"\)/);
    expect(out.files.map((f) => f.path).sort()).toEqual(['handler.js', 'lib/greet.js']);

    const plain = 'module.exports.main = async () =>   "x";\n';
    const js = await buildFunction(spec({ files: [{ path: 'handler.js', content: plain }] }), 'img');
    expect(js.files[0]!.content).toBe(plain);
  });

  it('locates a TypeScript syntax error', async () => {
    const s = spec({ language: 'typescript', files: [{ path: 'handler.ts', content: 'export function main(): string {\n  const x: = 1;\n}\n' }] });
    const out = await buildFunction(s, 'img');
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ file: 'handler.ts', line: 2, source: 'typescript' });
  });

  it('reports a broken package.json at its position', async () => {
    const s = spec({ files: [{ path: 'handler.js', content: '' }], dependencies: '{\n  "dependencies": {\n    "a": "1",\n  }\n}' });
    const out = await buildFunction(s, 'img');
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ file: 'package.json', line: 4, source: 'manifest' });
  });

  it('gives equal checksums for equal specs and different ones for any change', async () => {
    const files = [{ path: 'handler.js', content: 'exports.main = () => 1;' }, { path: 'b.js', content: '' }];
    const a = await buildFunction(spec({ files }), 'img');
    const b = await buildFunction(spec({ files: [...files].reverse() }), 'img');
    const c = await buildFunction(spec({ files, timeoutSeconds: 10 }), 'img');
    const d = await buildFunction(spec({ files }), 'img2');
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(b.checksum).toBe(a.checksum);
    expect(new Set([a.checksum, c.checksum, d.checksum]).size).toBe(3);
  });

  it('says whether dependencies need installing', async () => {
    const files = [{ path: 'handler.js', content: '' }];
    expect((await buildFunction(spec({ files }), 'i')).installsDependencies).toBe(false);
    expect((await buildFunction(spec({ files, dependencies: '{"dependencies":{}}' }), 'i')).installsDependencies).toBe(false);
    expect((await buildFunction(spec({ files, dependencies: '{"dependencies":{"ms":"2"}}' }), 'i')).installsDependencies).toBe(true);
  });
});

describe('checkPythonSources', () => {
  it('locates a Python syntax error with the local python3', async () => {
    const out = await checkPythonSources([{ path: 'handler.py', content: 'def main(event, context):\n    return (1,\n\nx = 2\n' }]);
    expect(out.warning).toBeNull();
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({ file: 'handler.py', severity: 'error', source: 'python' });
    expect(out.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('accepts valid Python and warns instead of failing when python3 is missing', async () => {
    expect(await checkPythonSources([{ path: 'handler.py', content: 'def main(e, c):\n    return 1\n' }])).toEqual({ diagnostics: [], warning: null });
    const missing = await checkPythonSources([{ path: 'h.py', content: 'x = (' }], '/nonexistent/python3');
    expect(missing.diagnostics).toEqual([]);
    expect(missing.warning).toMatch(/not checked/);
  });
});
