import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import { deployedPath, type BuildDiagnostic, type SourceFile } from '../../../shared/contract/functions';
import { firstOverflowingLine, isStackOverflow, TOO_DEEP_MESSAGE } from './too-deep';

let tsModule: typeof TS | null = null;
/**
 * The TypeScript compiler loads on the first build, not at engine start, and is required at run time
 * rather than bundled (its CommonJS code needs __filename, which the engine's ESM bundle lacks), so
 * `typescript` must be installed beside the engine: a runtime dependency.
 */
async function typescript(): Promise<typeof TS> {
  tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return tsModule;
}

export interface CompiledSources {
  /** The files to ship: .js kept (or made CommonJS when they use import/export), .ts compiled to .js. */
  files: SourceFile[];
  diagnostics: BuildDiagnostic[];
}

function toDiagnostic(ts: typeof TS, path: string, d: TS.Diagnostic, source: 'typescript' | 'javascript'): BuildDiagnostic {
  const file = d.file;
  const start = d.start ?? 0;
  const length = d.length ?? 0;
  const a = file ? file.getLineAndCharacterOfPosition(start) : { line: 0, character: 0 };
  const b = file ? file.getLineAndCharacterOfPosition(start + length) : a;
  return {
    file: path,
    line: a.line + 1,
    column: a.character + 1,
    endLine: b.line + 1,
    endColumn: b.character + 1,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    severity: d.category === ts.DiagnosticCategory.Error ? 'error' : d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'info',
    source,
  };
}

function usesModuleSyntax(ts: typeof TS, sf: TS.SourceFile): boolean {
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s) ||
      ((ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) ?? false),
  );
}

/**
 * Checks every JS/TS file for syntax errors (located, for editor markers) and compiles TypeScript to
 * CommonJS, which the Node runtime server loads with require(). Type errors are not checked: the
 * pod has no type definitions to check against, and a missing type must not block a deploy.
 */
export async function compileNodeSources(files: SourceFile[]): Promise<CompiledSources> {
  const ts = await typescript();
  const out: SourceFile[] = [];
  const diagnostics: BuildDiagnostic[] = [];
  const options: TS.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    allowJs: true,
    sourceMap: false,
    inlineSourceMap: false,
  };
  for (const f of files) {
    const isTs = /\.(ts|mts|cts)$/.test(f.path) && !f.path.endsWith('.d.ts');
    const isJs = /\.(js|cjs|mjs)$/.test(f.path);
    if (!isTs && !isJs) {
      out.push(f); // data files (JSON, text) ship as they are
      continue;
    }
    const source = isTs ? 'typescript' : 'javascript';
    const transpile = (text: string) => ts.transpileModule(text, { compilerOptions: options, fileName: f.path, reportDiagnostics: true });
    let result: TS.TranspileOutput;
    let moduleSyntax = false;
    try {
      result = transpile(f.content);
      if (isJs) moduleSyntax = usesModuleSyntax(ts, ts.createSourceFile(f.path, f.content, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS));
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      const line = firstOverflowingLine(f.content, (prefix) => void transpile(prefix));
      diagnostics.push({ file: f.path, line, column: 1, message: TOO_DEEP_MESSAGE, severity: 'error', source });
      out.push(f);
      continue;
    }
    for (const d of result.diagnostics ?? []) diagnostics.push(toDiagnostic(ts, f.path, d, source));
    if (isTs) {
      out.push({ path: deployedPath(f.path), content: result.outputText });
    } else {
      // Plain CommonJS ships byte for byte, so stack traces point at the lines the person wrote.
      out.push({ path: f.path, content: moduleSyntax ? result.outputText : f.content });
    }
  }
  return { files: out, diagnostics };
}
