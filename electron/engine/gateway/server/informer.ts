import type { Kube } from './kube';
import { statusMessage } from './kube';
import type { Log } from './log';

/**
 * List, then watch from the list's resourceVersion; resume after a dropped connection from the last
 * version seen (bookmarks keep it fresh); relist after 410 Gone; restart a watch that has been silent
 * longer than `inactivityMs`. Every wait has a deadline; retries back off from 250 ms to 5 s.
 */
export interface KubeItem {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string | null };
}

export interface InformerOptions {
  /** Collection path, e.g. /api/v1/namespaces/demo/pods */
  path: string;
  labelSelector: string;
  /** Called after the first list and after every change (with the whole current set). */
  onChange(items: Map<string, KubeItem>): void;
  inactivityMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export class Informer {
  readonly items = new Map<string, KubeItem>();
  synced = false;
  private rv = '';
  private firstSync: Promise<void>;
  private resolveSync!: () => void;

  constructor(
    private readonly kube: Kube,
    private readonly opts: InformerOptions,
    private readonly log: Log,
  ) {
    this.firstSync = new Promise((r) => (this.resolveSync = r));
  }

  /** Starts the loop; resolves once the first list is in. */
  start(signal: AbortSignal): Promise<void> {
    void this.loop(signal);
    return this.firstSync;
  }

  private query(extra: string): string {
    return `${this.opts.path}?labelSelector=${encodeURIComponent(this.opts.labelSelector)}${extra}`;
  }

  private async list(): Promise<void> {
    const res = await this.kube.request<{ items?: KubeItem[]; metadata?: { resourceVersion?: string } }>('GET', this.query(''), undefined, { timeoutMs: 20_000 });
    if (res.status !== 200) throw new Error(`list ${this.opts.path}: HTTP ${res.status} ${statusMessage(res.body)}`);
    this.items.clear();
    for (const it of res.body.items ?? []) if (it.metadata?.uid) this.items.set(it.metadata.uid, it);
    this.rv = res.body.metadata?.resourceVersion ?? '';
    this.synced = true;
    this.opts.onChange(this.items);
    this.resolveSync();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let backoff = 250;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        const gone = await this.watchOnce(signal);
        if (gone) needList = true;
        backoff = 250;
      } catch (e) {
        if (signal.aborted) return;
        this.log(`watch of ${this.opts.path} failed (${(e as Error).message}); retrying in ${backoff} ms`);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** One watch connection; true when the version is too old (relist). */
  private async watchOnce(outer: AbortSignal): Promise<boolean> {
    const ac = new AbortController();
    const signal = AbortSignal.any([outer, ac.signal]);
    const inactivityMs = this.opts.inactivityMs ?? 90_000;
    let last = Date.now();
    const timer = setInterval(() => Date.now() - last > inactivityMs && ac.abort(), 5000);
    let gone = false;
    try {
      const res = await this.kube
        .watch(this.query(`&watch=1&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${encodeURIComponent(this.rv)}`), signal, (line) => {
          last = Date.now();
          let ev: { type?: string; object?: KubeItem & { code?: number } };
          try {
            ev = JSON.parse(line) as typeof ev;
          } catch {
            return;
          }
          const obj = ev.object;
          if (ev.type === 'ERROR') {
            if (obj?.code === 410) gone = true;
            ac.abort();
            return;
          }
          if (!obj?.metadata) return;
          if (obj.metadata.resourceVersion) this.rv = obj.metadata.resourceVersion;
          if (ev.type === 'BOOKMARK') return;
          const uid = obj.metadata.uid;
          if (!uid) return;
          if (ev.type === 'DELETED') this.items.delete(uid);
          else this.items.set(uid, obj);
          this.opts.onChange(this.items);
        })
        .catch((e: unknown) => {
          if (ac.signal.aborted && !outer.aborted) return { status: 200, text: '' }; // restarted on purpose
          throw e;
        });
      if (res.status === 410) return true;
      if (res.status !== 200) throw new Error(`HTTP ${res.status} ${res.text.slice(0, 200)}`);
      return gone;
    } finally {
      clearInterval(timer);
    }
  }
}
