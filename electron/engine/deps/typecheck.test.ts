import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../runtimes/templates';
import { typeCheck } from './typecheck';

const install = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-typecheck-'));
afterAll(() => fs.rmSync(install, { recursive: true, force: true }));

/** An install holding one typed package, as npm leaves it. */
function typedPackage(): string {
  const dir = path.join(install, 'node_modules', 'greeter');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'greeter', version: '1.0.0', main: 'index.js', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(dir, 'index.js'), 'exports.greet = (n) => `hi ${n}`;\n');
  fs.writeFileSync(path.join(dir, 'index.d.ts'), '/** Greets someone. */\nexport declare function greet(name: string): string;\n');
  return install;
}

describe('typeCheck', () => {
  it("marks a call that does not fit an installed package's types, at the argument", () => {
    const d = typeCheck({
      installDir: typedPackage(),
      blocking: false,
      files: [{ path: 'handler.ts', content: "import { greet } from 'greeter';\n\nexport async function main(): Promise<string> {\n  return greet(42);\n}\n" }],
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ file: 'handler.ts', line: 4, column: 16, endColumn: 18, severity: 'warning', source: 'typescript' });
    expect(d[0]!.message).toMatch(/Argument of type 'number' is not assignable to parameter of type 'string'.*TS2345/);
  }, 60_000); // the first check loads TypeScript and parses its libraries

  it('accepts correct use, and makes type errors errors when they should block the deploy', () => {
    const ok = typeCheck({ installDir: typedPackage(), blocking: true, files: [{ path: 'handler.ts', content: "import { greet } from 'greeter';\nexport const main = (): string => greet('x');\n" }] });
    expect(ok).toEqual([]);
    const bad = typeCheck({ installDir: null, blocking: true, files: [{ path: 'handler.ts', content: "import x from 'not-installed';\nexport const main = () => x;\n" }] });
    expect(bad[0]).toMatchObject({ line: 1, severity: 'error', message: expect.stringMatching(/Cannot find module 'not-installed'/) });
  });

  it("finds the function's own modules, and every TypeScript template checks clean with the runtime's globals", () => {
    const own = typeCheck({
      installDir: null,
      blocking: false,
      files: [
        { path: 'handler.ts', content: "import { twice } from './lib/math';\nexport const main = (): number => twice('2');\n" },
        { path: 'lib/math.ts', content: 'export const twice = (n: number): number => n * 2;\n' },
      ],
    });
    expect(own.map((x) => [x.file, x.line])).toEqual([['handler.ts', 2]]);
    for (const t of TEMPLATES.filter((x) => x.language === 'typescript')) {
      expect(typeCheck({ installDir: null, blocking: false, files: t.files }), t.id).toEqual([]);
    }
    expect(typeCheck({ installDir: null, blocking: false, files: [{ path: 'handler.ts', content: "export const main = () => process.env.HOME ?? require('os').hostname() + Buffer.from('x').length;\n" }] })).toEqual([]);
  }, 30_000);
});
