import type { KubeConfig } from '@kubernetes/client-node';
import type { RevisionChanges, RevisionInfo, RevisionSettings, RevisionSource } from '../../../shared/contract/revisions';
import { changesBetween, settingsOf } from './changes';
import { readRevisionSource } from './source';

/** How many revisions' sources are kept in memory for comparing (settings and changes are kept longer; they are small). */
const MAX_SOURCES = 24;
const MAX_SMALL = 1000;

/**
 * Image, settings and "what changed" of each revision, read from the revisions' ConfigMaps once:
 * revisions are immutable, so each is read at most once (keyed by name and checksum) and the
 * watches can fill them in without waiting.
 */
export class RevisionDetails {
  private sources = new Map<string, Promise<RevisionSource | null>>();
  private settings = new Map<string, RevisionSettings>();
  private changes = new Map<string, RevisionChanges>();

  /** The revisions with whatever details are known now; `missing` says whether a read is needed for the rest. */
  fill(ns: string, fn: string, revisions: RevisionInfo[]): { revisions: RevisionInfo[]; missing: boolean } {
    let missing = false;
    const out = revisions.map((r, i) => {
      const older = revisions[i + 1];
      const settings = this.settings.get(this.key(ns, fn, r)) ?? null;
      const changes = older ? (this.changes.get(`${this.key(ns, fn, older)}>${this.key(ns, fn, r)}`) ?? null) : null;
      if (!settings || (older && !changes)) missing = true;
      return { ...r, settings, changes };
    });
    return { revisions: out, missing };
  }

  /** Reads what `fill` lacked; resolves once it is known (or could not be read). */
  async load(kc: KubeConfig, ns: string, fn: string, revisions: RevisionInfo[]): Promise<void> {
    await Promise.all(
      revisions.map(async (r, i) => {
        const older = revisions[i + 1];
        const key = this.key(ns, fn, r);
        const pairKey = older ? `${this.key(ns, fn, older)}>${key}` : '';
        if (this.settings.has(key) && (!older || this.changes.has(pairKey))) return;
        const [mine, theirs] = await Promise.all([this.source(kc, ns, fn, r), older && !this.changes.has(pairKey) ? this.source(kc, ns, fn, older) : null]);
        if (mine) this.remember(this.settings, key, settingsOf(mine));
        if (mine && theirs) this.remember(this.changes, pairKey, changesBetween(theirs, mine));
      }),
    );
  }

  private key(ns: string, fn: string, r: Pick<RevisionInfo, 'number' | 'checksum'>): string {
    return `${ns}/${fn}/${r.number}/${r.checksum}`;
  }

  private source(kc: KubeConfig, ns: string, fn: string, r: RevisionInfo): Promise<RevisionSource | null> {
    const key = this.key(ns, fn, r);
    let p = this.sources.get(key);
    if (!p) {
      p = readRevisionSource(kc, ns, fn, r.number).catch(() => {
        this.sources.delete(key); // gone or unreadable now; a later snapshot may try again
        return null;
      });
      this.remember(this.sources, key, p, MAX_SOURCES);
    }
    return p;
  }

  private remember<T>(map: Map<string, T>, key: string, value: T, max = MAX_SMALL): void {
    map.delete(key);
    map.set(key, value);
    while (map.size > max) map.delete(map.keys().next().value!);
  }
}
