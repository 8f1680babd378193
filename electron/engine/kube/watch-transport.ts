import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { kubeJson, serverOf } from './http';
import { toFuncdeckError } from './errors';

export interface KubeObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface RawWatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/** How the watcher reaches the API: real (below) or a fake in unit tests. */
export interface WatchTransport<T> {
  list(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }>;
  /**
   * Opens a watch from `resourceVersion`. `onDone` is called once when it ends (null: closed cleanly).
   * Resolves with a function that closes it once the server has answered.
   */
  watch(resourceVersion: string, onEvent: (e: RawWatchEvent<T>) => void, onDone: (err: unknown) => void): Promise<() => void>;
}

export interface CollectionQuery {
  /** The collection's path, e.g. /api/v1/namespaces/demo/pods or /apis/apps/v1/namespaces/demo/deployments. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout; the server then closes the watch cleanly and we resume. */
  timeoutSeconds?: number;
  /** Names the resource in error messages (e.g. "pods"). */
  resource?: string;
  namespace?: string;
}

/** The real transport: paginated list with a deadline, then client-node's Watch with bookmarks. */
export function kubeWatchTransport<T extends KubeObject>(kc: KubeConfig, q: CollectionQuery): WatchTransport<T> {
  const resource = q.resource ?? q.path.split('/').pop() ?? q.path;
  const action = { resource, namespace: q.namespace, server: serverOf(kc) };
  return {
    async list(signal) {
      const items: T[] = [];
      let cont: string | undefined;
      let resourceVersion = '';
      do {
        const page = await kubeJson<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(
          kc,
          { path: q.path, query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: 500, continue: cont }, signal, timeoutMs: 30_000 },
          { verb: 'list', ...action },
        );
        items.push(...(page.items ?? []));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return { items, resourceVersion };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const w = new Watch(kc);
      const controller = await w.watch(
        q.path,
        {
          resourceVersion,
          allowWatchBookmarks: true,
          labelSelector: q.labelSelector,
          fieldSelector: q.fieldSelector,
          timeoutSeconds: q.timeoutSeconds ?? 60,
        },
        (type: string, object: T) => onEvent({ type: type as WatchEventType, object }),
        (err: unknown) => onDone(err ? toFuncdeckErrorKeepStatus(err, action) : null),
      );
      return () => controller.abort();
    },
  };
}

/** Keeps the HTTP status on the mapped error, so the watcher can tell 410 and 401/403/404 apart. */
function toFuncdeckErrorKeepStatus(err: unknown, action: { resource: string; namespace?: string; server?: string }) {
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (status === 410) return err; // handled as "relist", not shown
  if (typeof status !== 'number' && (err as { name?: string })?.name === 'AbortError') return err;
  return toFuncdeckError(err, { verb: 'watch', ...action });
}
