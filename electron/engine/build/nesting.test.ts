import { describe, expect, it } from 'vitest';
import { checkPythonSources } from './check-python';
import { compileNodeSources } from './compile-node';

const DEPTH = 100_000;
const deep = (open: string, close: string) => open.repeat(DEPTH) + close.repeat(DEPTH);

describe('sources nested too deeply for the compilers', () => {
  it('JavaScript: a located BUILD error instead of "Maximum call stack size exceeded", and the compiler keeps working', async () => {
    const content = `const a = 1;\nconst b = 2;\n\nmodule.exports.data = ${deep('[', ']')};\n`;
    const out = await compileNodeSources([{ path: 'handler.js', content: 'exports.main = () => 1;\n' }, { path: 'lib/deep.js', content }]);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ file: 'lib/deep.js', line: 4, column: 1, severity: 'error', source: 'javascript', message: expect.stringMatching(/nested too deeply/) }),
    ]);
    const again = await compileNodeSources([{ path: 'handler.ts', content: 'export const main = (x: number): number => x + 1;\n' }]);
    expect(again.diagnostics).toEqual([]);
    expect(again.files[0]!.content).toMatch(/exports\.main = main/);
  });

  it('TypeScript: parentheses and unary operators nested 100,000 levels', async () => {
    const out = await compileNodeSources([
      { path: 'parens.ts', content: `export const x: number =\n  ${deep('(', ')')}1;\n` },
      { path: 'unary.ts', content: `\n\n\nexport const y = ${'!'.repeat(DEPTH)}1;\n` },
    ]);
    expect(out.diagnostics.map((d) => [d.file, d.line, d.severity, d.source])).toEqual([
      ['parens.ts', 2, 'error', 'typescript'],
      ['unary.ts', 4, 'error', 'typescript'],
    ]);
  });

  it('Python: a located error instead of an unchecked warning when the compiler runs out of recursion', async () => {
    const out = await checkPythonSources([
      { path: 'handler.py', content: `def main(e, c):\n    return 1\n\nx = ${'-'.repeat(DEPTH)}1\n` },
      { path: 'brackets.py', content: `y = ${deep('[', ']')}\n` },
    ]);
    expect(out.warning).toBeNull();
    expect(out.diagnostics.map((d) => [d.file, d.line, d.severity])).toEqual([
      ['handler.py', 4, 'error'],
      ['brackets.py', 1, 'error'],
    ]);
    expect(out.diagnostics[0]!.message).toMatch(/nested too deeply/);
  });
});
