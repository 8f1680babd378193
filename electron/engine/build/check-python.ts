import { spawn } from 'node:child_process';
import type { BuildDiagnostic, SourceFile } from '../../../shared/contract/functions';
import { TOO_DEEP_MESSAGE } from './too-deep';

// Reads {path: source} as JSON on stdin and prints one JSON list of syntax errors. Code nested too
// deeply for the compiler (RecursionError, or MemoryError from the parser's stack) is located by
// compiling ever shorter prefixes of whole lines, by bisection.
const CHECKER = `
import json, sys
TOO_DEEP = (RecursionError, MemoryError)
def overflows(src, path):
    try:
        compile(src, path, "exec", dont_inherit=True)
    except TOO_DEEP:
        return True
    except Exception:
        return False
    return False
def first_deep_line(src, path):
    lines = src.split("\\n")
    lo, hi = 1, len(lines)
    while lo < hi:
        mid = (lo + hi) // 2
        if overflows("\\n".join(lines[:mid]), path):
            hi = mid
        else:
            lo = mid + 1
    return hi
files = json.load(sys.stdin)
out = []
for path, src in files.items():
    try:
        compile(src, path, "exec", dont_inherit=True)
    except SyntaxError as e:
        out.append({"file": path, "line": e.lineno or 1, "column": e.offset or 1,
                    "endLine": getattr(e, "end_lineno", None), "endColumn": getattr(e, "end_offset", None),
                    "message": e.msg})
    except ValueError as e:
        out.append({"file": path, "line": 1, "column": 1, "message": str(e)})
    except TOO_DEEP:
        out.append({"file": path, "line": first_deep_line(src, path), "column": 1, "message": TOO_DEEP_MESSAGE})
print(json.dumps(out))
`;

export interface PythonCheck {
  diagnostics: BuildDiagnostic[];
  /** Set when no local python3 could check the sources (the pod still reports errors when it starts). */
  warning: string | null;
}

/** Syntax-checks Python sources with the machine's python3, when there is one. */
export async function checkPythonSources(files: SourceFile[], python = process.env.FUNCDECK_PYTHON ?? 'python3'): Promise<PythonCheck> {
  const sources = Object.fromEntries(files.filter((f) => f.path.endsWith('.py')).map((f) => [f.path, f.content]));
  if (Object.keys(sources).length === 0) return { diagnostics: [], warning: null };
  const skipped = (why: string): PythonCheck => ({
    diagnostics: [],
    warning: `Python syntax was not checked before deploying (${why}); a syntax error shows up when the pod starts.`,
  });
  return new Promise((resolve) => {
    let stdout = '';
    let settled = false;
    const done = (r: PythonCheck) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const child = spawn(python, ['-I', '-c', `TOO_DEEP_MESSAGE = ${JSON.stringify(TOO_DEEP_MESSAGE)}\n${CHECKER}`], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(skipped('the local python3 took too long'));
    }, 10_000);
    child.on('error', () => {
      clearTimeout(timer);
      done(skipped('no python3 found on this computer'));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (stdout += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return done(skipped(`the local python3 exited with ${code}`));
      try {
        const raw = JSON.parse(stdout) as Array<{ file: string; line: number; column: number; endLine?: number | null; endColumn?: number | null; message: string }>;
        done({
          warning: null,
          diagnostics: raw.map((d) => ({
            file: d.file,
            line: Math.max(1, d.line),
            column: Math.max(1, d.column),
            ...(d.endLine ? { endLine: Math.max(1, d.endLine) } : {}),
            ...(d.endColumn ? { endColumn: Math.max(1, d.endColumn) } : {}),
            message: d.message,
            severity: 'error' as const,
            source: 'python' as const,
          })),
        });
      } catch {
        done(skipped('the local python3 gave no readable answer'));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(sources));
  });
}
