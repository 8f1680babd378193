import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import type { BuildDiagnostic, SourceFile } from '../../../shared/contract/functions';

/**
 * Type-checks a TypeScript function against its installed packages' types (node_modules of its
 * install in the dependency cache: the packages' own .d.ts and @types/* devDependencies), as the
 * editor's TypeScript would, so a type error is a marker at its place before the deploy. The
 * function's files live in memory under a virtual folder whose node_modules is the install's.
 */

let tsModule: typeof TS | null = null;
const typescript = (): typeof TS => (tsModule ??= createRequire(import.meta.url)('typescript') as typeof TS);

const ROOT = '/funcdeck-function';

/**
 * What the runtime provides when the function has no @types/node: the globals a handler uses
 * (console, timers, fetch and URL come from lib.dom), Node's CommonJS names, process.env and Buffer.
 */
const RUNTIME_GLOBALS = `
declare var process: { env: Record<string, string | undefined>; argv: string[]; version: string; versions: Record<string, string>; platform: string; arch: string; pid: number; uptime(): number; hrtime: { bigint(): bigint }; memoryUsage(): Record<string, number>; exit(code?: number): never; cwd(): string; nextTick(fn: (...args: any[]) => void, ...args: any[]): void };
declare function require(id: string): any;
declare var module: { exports: any; id: string; filename: string };
declare var exports: any;
declare var __dirname: string;
declare var __filename: string;
declare var Buffer: { from(data: any, encoding?: string): any; alloc(size: number, fill?: any): any; concat(list: readonly any[]): any; isBuffer(v: any): boolean; byteLength(v: any, encoding?: string): number };
declare function setImmediate(fn: (...args: any[]) => void, ...args: any[]): any;
`;

/** Parsed declaration files (TypeScript's libs, packages' .d.ts) kept between checks, by path and mtime. */
const declCache = new Map<string, { mtime: number; sf: TS.SourceFile }>();
const MAX_CACHED = 4000;

export interface TypeCheckInput {
  files: SourceFile[];
  /** The install's folder (holding node_modules); null when the function has no dependencies installed. */
  installDir: string | null;
  /** Report type errors as errors (they stop the deploy) rather than warnings. */
  blocking: boolean;
}

/** Type errors of the function's own .ts files, located for editor markers. [] when it has none. */
export function typeCheck(input: TypeCheckInput): BuildDiagnostic[] {
  const tsFiles = input.files.filter((f) => /\.(ts|mts|cts)$/.test(f.path) && !/\.d\.[cm]?ts$/.test(f.path));
  if (!tsFiles.length) return [];
  const ts = typescript();
  const nodeModules = input.installDir ? path.join(input.installDir, 'node_modules') : null;
  const hasNodeTypes = !!nodeModules && fs.existsSync(path.join(nodeModules, '@types', 'node', 'package.json'));
  const mem = new Map<string, string>(input.files.map((f) => [path.posix.join(ROOT, f.path), f.content]));
  const globals = path.posix.join(ROOT, '__funcdeck_runtime__.d.ts');
  if (!hasNodeTypes) mem.set(globals, RUNTIME_GLOBALS);
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    allowJs: true,
    checkJs: false,
    skipLibCheck: true,
    resolveJsonModule: true,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: hasNodeTypes ? ['node'] : [],
    typeRoots: nodeModules ? [path.posix.join(ROOT, 'node_modules', '@types')] : [],
  };
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  // The virtual ROOT/node_modules is the install's real node_modules.
  const real = (p: string): string | null => {
    const n = p.replace(/\\/g, '/');
    if (nodeModules && n.startsWith(`${ROOT}/node_modules/`)) return path.join(nodeModules, n.slice(`${ROOT}/node_modules/`.length));
    if (nodeModules && n === `${ROOT}/node_modules`) return nodeModules;
    if (n.startsWith(`${ROOT}/`) || n === ROOT) return null;
    return p; // TypeScript's own lib files
  };
  const host: TS.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const inMemory = mem.get(fileName);
      if (inMemory !== undefined) return ts.createSourceFile(fileName, inMemory, languageVersion, true);
      const file = real(fileName);
      if (!file) return undefined;
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        return undefined;
      }
      const cached = declCache.get(file);
      if (cached && cached.mtime === st.mtimeMs) return cached.sf;
      const sf = ts.createSourceFile(fileName, fs.readFileSync(file, 'utf8'), languageVersion, true);
      if (declCache.size >= MAX_CACHED) declCache.delete(declCache.keys().next().value!);
      declCache.set(file, { mtime: st.mtimeMs, sf });
      return sf;
    },
    getDefaultLibFileName: (o) => path.join(libDir, ts.getDefaultLibFileName(o)),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => ROOT,
    getDirectories: (p) => {
      const r = real(p);
      try {
        return r ? fs.readdirSync(r, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
      } catch {
        return [];
      }
    },
    fileExists: (p) => {
      if (mem.has(p)) return true;
      const r = real(p);
      return !!r && fs.existsSync(r) && fs.statSync(r).isFile();
    },
    readFile: (p) => {
      const m = mem.get(p);
      if (m !== undefined) return m;
      const r = real(p);
      try {
        return r ? fs.readFileSync(r, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    directoryExists: (p) => {
      const n = p.replace(/\\/g, '/');
      if (n === ROOT || [...mem.keys()].some((k) => k.startsWith(n + '/'))) return true;
      const r = real(p);
      return !!r && fs.existsSync(r) && fs.statSync(r).isDirectory();
    },
    realpath: (p) => p,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
  const roots = [...tsFiles.map((f) => path.posix.join(ROOT, f.path)), ...(hasNodeTypes ? [] : [globals])];
  const program = ts.createProgram({ rootNames: roots, options, host });
  const out: BuildDiagnostic[] = [];
  for (const f of tsFiles) {
    const sf = program.getSourceFile(path.posix.join(ROOT, f.path));
    if (!sf) continue;
    for (const d of program.getSemanticDiagnostics(sf)) {
      const start = d.start ?? 0;
      const a = sf.getLineAndCharacterOfPosition(start);
      const b = sf.getLineAndCharacterOfPosition(start + (d.length ?? 0));
      out.push({
        file: f.path,
        line: a.line + 1,
        column: a.character + 1,
        endLine: b.line + 1,
        endColumn: b.character + 1,
        message: `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (TS${d.code})`,
        severity: input.blocking ? 'error' : 'warning',
        source: 'typescript',
      });
    }
  }
  return out;
}
