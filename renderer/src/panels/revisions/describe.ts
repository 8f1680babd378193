import { plural } from '../../../../shared/plural';
import type { RevisionChanges, RevisionInfo, RevisionSettings } from '../../../../shared/contract/revisions';


/** "handler.js +3 −1", "2 files +5 −2; image", "image", "first revision". */
export function changesText(r: RevisionInfo): string {
  const c: RevisionChanges | null = r.changes;
  if (!c) return r.number === 1 ? 'first revision' : r.settings ? 'oldest kept revision' : '…';
  const parts: string[] = [];
  if (c.files.length) parts.push(`${c.files.length === 1 ? c.files[0] : plural(c.files.length, 'file')} +${c.linesAdded} −${c.linesRemoved}`);
  if (c.settings.length) parts.push(c.settings.join(', '));
  return parts.length ? parts.join('; ') : 'no change';
}

/** The whole of what changed, for a tooltip. */
export function changesTitle(r: RevisionInfo): string {
  const c = r.changes;
  const lines = [`Checksum ${r.checksum}`];
  if (c) {
    lines.unshift(`Compared with revision ${c.from}: ${c.files.length ? `files ${c.files.join(', ')} (+${c.linesAdded} −${c.linesRemoved} lines)` : 'no file changed'}${c.settings.length ? `; settings changed: ${c.settings.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

const shortImage = (image: string) => image.split('/').at(-1) ?? image;

/** "node:20 · S · 180 s · 1 pod · env 2 · 1 dependency" (env and dependencies only when there are some). */
export function settingsText(s: RevisionSettings | null): string {
  if (!s) return '…';
  const deps = dependencyCount(s);
  return [
    shortImage(s.image),
    s.size,
    `${s.timeoutSeconds} s`,
    s.scale.max > s.scale.min ? `${s.scale.min}–${s.scale.max} pods` : plural(s.scale.min, 'pod'),
    s.env.length ? `env ${s.env.length}` : '',
    deps ? plural(deps, 'dependency', 'dependencies') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function dependencyCount(s: RevisionSettings): number {
  const text = s.dependencies.trim();
  if (!text) return 0;
  if (s.runtime === 'nodejs') {
    try {
      const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
      return Object.keys(pkg.dependencies ?? {}).length;
    } catch {
      return 0;
    }
  }
  return text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
}

/** The image and settings as lines of text, for the diff view (so an image-only change shows). */
export function settingsDocument(s: RevisionSettings): string {
  return [
    `image: ${s.image}`,
    `runtime: ${s.runtime} (${s.language})`,
    `handler: ${s.handler}`,
    `size: ${s.size}`,
    `timeout: ${s.timeoutSeconds} s`,
    `scale: min ${s.scale.min}, max ${s.scale.max}`,
    `env:${s.env.length ? '' : ' none'}`,
    ...s.env.map((e) => `  ${e.name}=${e.value}`),
    `cron: ${s.cron ? `${s.cron.schedule} (payload ${s.cron.payload ? JSON.stringify(s.cron.payload) : 'empty'})` : 'none'}`,
    `dependencies:${s.dependencies.trim() ? '' : ' none'}`,
    ...(s.dependencies.trim() ? s.dependencies.trimEnd().split('\n').map((l) => `  ${l}`) : []),
    '',
  ].join('\n');
}
