import { spawn } from 'node:child_process';
import type { BuildDiagnostic } from '../../../shared/contract/functions';

/**
 * Checks a dependency manifest before any package manager runs, so a mistake is marked at its line
 * in the editor instead of surfacing as a package manager's stack of errors.
 */

const diag = (file: string, line: number, message: string, column = 1): BuildDiagnostic => ({ file, line, column, message, severity: 'error', source: 'manifest' });

/** 1-based line of the first `"key"` at or after `from` in a JSON text. */
export function lineOfKey(text: string, key: string, from = 0): number {
  const at = text.indexOf(JSON.stringify(key), from);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * package.json: valid JSON (a deploy's build step has said so already; deps.install has not), and
 * the shape npm needs: each dependency field an object of name -> version text.
 */
export function checkPackageJson(text: string): BuildDiagnostic[] {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    return [diag('package.json', text.slice(0, at).split('\n').length, `package.json is not valid JSON: ${message}`)];
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) return [diag('package.json', 1, 'package.json must be a JSON object, e.g. { "dependencies": { "lodash": "^4.17.21" } }.')];
  const out: BuildDiagnostic[] = [];
  for (const field of DEP_FIELDS) {
    const value = (pkg as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const fieldLine = lineOfKey(text, field);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.push(diag('package.json', fieldLine, `"${field}" must be an object of package names and versions, e.g. { "lodash": "^4.17.21" }.`));
      continue;
    }
    const fieldAt = text.indexOf(JSON.stringify(field));
    for (const [name, range] of Object.entries(value as Record<string, unknown>)) {
      if (typeof range !== 'string') {
        out.push(diag('package.json', lineOfKey(text, name, fieldAt), `The version of "${name}" must be text, e.g. "^1.2.0" (found ${JSON.stringify(range)}).`));
      } else if (/^(file|link|portal):|^\.{0,2}\//.test(range)) {
        out.push(diag('package.json', lineOfKey(text, name, fieldAt), `"${name}" points at a local path (${range}), which does not exist where Funcdeck installs; publish it or put its code among the function's files.`));
      } else if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) || name.length > 214) {
        out.push(diag('package.json', lineOfKey(text, name, fieldAt), `"${name}" is not a valid npm package name.`));
      }
    }
  }
  return out;
}

// Checks each requirement with pip's own parser (pip._vendor.packaging), so what passes here is
// what pip accepts. Reads the text on stdin, prints a JSON list of {line, message}.
const PIP_CHECKER = `
import json, sys
try:
    from pip._vendor.packaging.requirements import Requirement, InvalidRequirement
except Exception as e:
    print(json.dumps({"error": "pip is not installed for this python3 (%s)" % e})); sys.exit(0)
text = sys.stdin.read()
out = []
logical = []
start = None
for i, raw in enumerate(text.splitlines(), 1):
    line = raw
    if start is None:
        start = i
    if line.endswith("\\\\"):
        logical.append(line[:-1]); continue
    logical.append(line)
    full = " ".join(logical); logical = []; at = start; start = None
    body = full.split(" #", 1)[0].strip() if not full.lstrip().startswith("#") else ""
    if not body:
        continue
    if body.startswith("-"):
        opt = body.split()[0].split("=")[0]
        if opt in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable"):
            out.append({"line": at, "message": "%s refers to other files or local folders, which Funcdeck does not ship; list the packages here instead." % opt})
        elif opt not in ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--pre", "--prefer-binary", "--only-binary", "--no-binary", "--trusted-host"):
            out.append({"line": at, "message": "The option %s is not supported in requirements.txt by Funcdeck." % opt})
        continue
    req = body.split(" --", 1)[0].strip()
    if req.startswith((".", "/", "file:")):
        out.append({"line": at, "message": "%s is a local path, which does not exist where Funcdeck installs; list a package from the index instead." % req})
        continue
    try:
        Requirement(req)
    except InvalidRequirement as e:
        out.append({"line": at, "message": "Not a valid requirement: %s" % e})
print(json.dumps(out))
`;

export interface PipManifestCheck {
  diagnostics: BuildDiagnostic[];
  /** Set when the check could not run (no python3 or pip): the install reports the same. */
  unavailable: string | null;
}

export async function checkRequirements(text: string, python: string, timeoutMs = 15_000): Promise<PipManifestCheck> {
  return new Promise((resolve) => {
    let stdout = '';
    let done = false;
    const finish = (r: PipManifestCheck) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve(r);
      }
    };
    const child = spawn(python, ['-I', '-c', PIP_CHECKER], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ diagnostics: [], unavailable: `${python} took longer than ${timeoutMs / 1000} s to check requirements.txt` });
    }, timeoutMs);
    child.on('error', (e) => finish({ diagnostics: [], unavailable: `${python} could not be started (${e.message})` }));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (stdout += c));
    child.on('close', () => {
      try {
        const parsed = JSON.parse(stdout) as Array<{ line: number; message: string }> | { error: string };
        if (!Array.isArray(parsed)) return finish({ diagnostics: [], unavailable: parsed.error });
        finish({ diagnostics: parsed.map((p) => diag('requirements.txt', p.line, p.message)), unavailable: null });
      } catch {
        finish({ diagnostics: [], unavailable: `${python} gave no readable answer when checking requirements.txt` });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}

/** The line of requirements.txt that names `pkg` (case and -/_ insensitive), or 1. */
export function lineOfRequirement(text: string, pkg: string): number {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  const want = norm(pkg);
  const lines = text.split('\n');
  const i = lines.findIndex((l) => norm(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(l)?.[1] ?? '') === want);
  return i >= 0 ? i + 1 : 1;
}
