import type { RevisionChanges, RevisionSettings, RevisionSource } from '../../../shared/contract/revisions';
import { DEFAULT_TIMEOUT_SECONDS } from '../../../shared/contract/functions';
import { RUNTIMES } from '../runtimes/registry';

/** Lines added and removed between two texts (Myers' shortest edit script, counted, not listed). */
export function lineChanges(a: string, b: string): { added: number; removed: number } {
  if (a === b) return { added: 0, removed: 0 };
  const lines = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const x = lines(a);
  const y = lines(b);
  // Trim the common head and tail first: most edits are small, so little is left to compare.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const xs = x.slice(start, endX);
  const ys = y.slice(start, endY);
  const n = xs.length;
  const m = ys.length;
  const max = n + m;
  // Past this many edits the exact count costs too much; then every differing line counts as changed.
  const limit = Math.min(max, 4000);
  const v = new Int32Array(2 * limit + 2);
  for (let d = 0; d <= limit; d++) {
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[limit + k - 1]! < v[limit + k + 1]!) ? v[limit + k + 1]! : v[limit + k - 1]! + 1;
      let j = i - k;
      while (i < n && j < m && xs[i] === ys[j]) {
        i++;
        j++;
      }
      v[limit + k] = i;
      if (i >= n && j >= m) {
        // d edits in all; the diagonal k = n - m fixes how many are deletions and insertions.
        return { added: (d + (m - n)) / 2, removed: (d - (m - n)) / 2 };
      }
    }
  }
  return { added: m, removed: n };
}

export function settingsOf(source: RevisionSource): RevisionSettings {
  const spec = source.spec;
  return {
    image: source.image,
    runtime: spec.runtime,
    language: spec.language ?? (spec.runtime === 'python' ? 'python' : 'javascript'),
    handler: spec.handler,
    size: spec.size ?? 'S',
    timeoutSeconds: spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    scale: { min: spec.scale?.min ?? 1, max: spec.scale?.max ?? 1 },
    env: spec.env ?? [],
    dependencies: spec.dependencies ?? '',
    cron: spec.cron ?? null,
    ...(spec.labels ? { labels: spec.labels } : {}),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
    ...(spec.envFrom ? { envFrom: spec.envFrom } : {}),
    ...(spec.mounts ? { mounts: spec.mounts } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
  };
}

const SETTING_NAMES: Array<[string, (s: RevisionSettings) => unknown]> = [
  ['image', (s) => s.image],
  ['runtime', (s) => [s.runtime, s.language]],
  ['handler', (s) => s.handler],
  ['size', (s) => s.size],
  ['timeout', (s) => s.timeoutSeconds],
  ['scale', (s) => s.scale],
  ['env', (s) => s.env],
  ['cron', (s) => s.cron],
  ['labels', (s) => s.labels ?? {}],
  ['annotations', (s) => s.annotations ?? {}],
  ['envFrom', (s) => s.envFrom ?? []],
  ['mounts', (s) => s.mounts ?? []],
  ['resources', (s) => s.resources ?? {}],
];

/** What changed from `older` to `newer`: files (the dependency manifest among them), lines, and settings by name. */
export function changesBetween(older: RevisionSource, newer: RevisionSource): RevisionChanges {
  const files = (s: RevisionSource) => {
    const m = new Map(s.files.map((f) => [f.path, f.content]));
    m.set(RUNTIMES[s.spec.runtime].dependencyFile, s.dependencies);
    return m;
  };
  const a = files(older);
  const b = files(newer);
  const changed: string[] = [];
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(path) ?? '';
    const after = b.get(path) ?? '';
    if (before === after && a.has(path) === b.has(path)) continue;
    const d = lineChanges(before, after);
    if (!d.added && !d.removed && (before === '') === (after === '')) continue;
    changed.push(path);
    linesAdded += d.added;
    linesRemoved += d.removed;
  }
  const sa = settingsOf(older);
  const sb = settingsOf(newer);
  const settings = SETTING_NAMES.filter(([, get]) => JSON.stringify(get(sa)) !== JSON.stringify(get(sb))).map(([name]) => name);
  return { from: older.revision, files: changed, linesAdded, linesRemoved, settings };
}
