import type { RuntimeId } from '../../../../shared/contract/settings';

/**
 * kubeless runtime names ("nodejs14", "nodejs_distroless8", "nodejsCE8", "python3.8", "python2.7",
 * "ruby2.5", "go1.14", ...) mapped to Funcdeck's runtimes, with the version kubeless used so a
 * different one can be pointed out.
 */

export type RuntimeMapping =
  | { ok: true; runtime: RuntimeId; version: string; flavor: string | null }
  | { ok: false; family: string };

const LABEL: Record<RuntimeId, string> = { nodejs: 'Node.js', python: 'Python' };

export function mapRuntime(name: string): RuntimeMapping {
  const node = /^nodejs(_distroless|CE)?(\d+)(?:\.\d+)*$/.exec(name);
  if (node) return { ok: true, runtime: 'nodejs', version: node[2]!, flavor: node[1] ?? null };
  const python = /^python(\d+(?:\.\d+)?)$/.exec(name);
  if (python) return { ok: true, runtime: 'python', version: python[1]!, flavor: null };
  return { ok: false, family: /^[A-Za-z_]+/.exec(name)?.[0] ?? name };
}

/** The language version an image carries, read from its tag ("node:22-alpine" → "22", "python:3.11" → "3.11"), when it says. */
export function imageVersion(image: string): string | null {
  const tag = /:([^/@:]+)(?:@.*)?$/.exec(image)?.[1];
  return tag ? (/^(\d+(?:\.\d+)?)/.exec(tag)?.[1] ?? null) : null;
}

/** Why the version kubeless ran differs from the one Funcdeck will, in words; null when they agree (or cannot be told). */
export function versionWarning(kubelessName: string, m: Extract<RuntimeMapping, { ok: true }>, image: string): string | null {
  const ours = imageVersion(image);
  const label = LABEL[m.runtime];
  const flavor = m.flavor ? ` (kubeless's ${m.flavor === 'CE' ? 'CE' : 'distroless'} flavor; Funcdeck runs the plain runtime)` : '';
  if (m.runtime === 'python' && m.version.startsWith('2')) {
    return `kubeless ran this on Python ${m.version}; Funcdeck runs Python 3${ours ? ` (${ours}, image ${image})` : ` (image ${image})`}. Python 2 code often needs changes (print statements, str and bytes).`;
  }
  if (!ours) return `kubeless ran this on ${label} ${m.version} ("${kubelessName}")${flavor}; Funcdeck runs it on image ${image}, whose version its tag does not say. Check the handler runs there.`;
  const same = m.runtime === 'nodejs' ? ours.split('.')[0] === m.version : ours === m.version || ours.startsWith(`${m.version}.`);
  if (same) return flavor ? `"${kubelessName}"${flavor}.` : null;
  return `kubeless ran this on ${label} ${m.version} ("${kubelessName}")${flavor}; Funcdeck runs ${label} ${ours} (image ${image}). Check for changes between the versions, or set the function's image.`;
}

export const SUPPORTED_RUNTIMES = 'Funcdeck runs Node.js (kubeless nodejs6 to nodejs20) and Python (python2.7 to python3.x) functions';
