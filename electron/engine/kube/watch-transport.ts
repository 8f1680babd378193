import type http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeHttpError, kubeJson, kubeStream, serverOf } from './http';
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

/** A watch that gets no response headers within this long is abandoned (credentials included). */
const WATCH_HEADERS_TIMEOUT_MS = 15_000;

/**
 * The real transport: paginated list with a deadline, then a watch (`?watch=true`, bookmarks on) over
 * our own streaming request, so credentials come from ./credentials under a deadline and every
 * outcome feeds the context's health.
 */
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
      const controller = new AbortController();
      let closing = false;
      const close = () => {
        closing = true;
        controller.abort();
      };
      let res: http.IncomingMessage;
      try {
        res = await kubeStream(
          kc,
          {
            path: q.path,
            query: {
              watch: 'true',
              resourceVersion,
              allowWatchBookmarks: 'true',
              labelSelector: q.labelSelector,
              fieldSelector: q.fieldSelector,
              timeoutSeconds: q.timeoutSeconds ?? 60,
            },
            signal: controller.signal,
          },
          WATCH_HEADERS_TIMEOUT_MS,
        );
      } catch (e) {
        throw toFuncdeckErrorKeepStatus(e, action);
      }
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
        let body: unknown = Buffer.concat(chunks).toString('utf8');
        try {
          body = JSON.parse(body as string);
        } catch {
          // keep the text
        }
        throw toFuncdeckErrorKeepStatus(new KubeHttpError(status, body), action);
      }
      let partial = '';
      let ended = false;
      const end = (err: unknown) => {
        if (ended) return;
        ended = true;
        onDone(closing ? null : err ? toFuncdeckErrorKeepStatus(err, action) : null);
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (!line.trim()) continue;
          let e: { type?: string; object?: T };
          try {
            e = JSON.parse(line) as { type?: string; object?: T };
          } catch {
            continue;
          }
          if (e.type && e.object) onEvent({ type: e.type as WatchEventType, object: e.object });
        }
      });
      res.on('end', () => end(null));
      res.on('error', (err) => end(err));
      res.on('close', () => end(null));
      return close;
    },
  };
}

/** Keeps the HTTP status on the mapped error, so the watcher can tell 410 and 401/403/404 apart. */
function toFuncdeckErrorKeepStatus(err: unknown, action: { resource: string; namespace?: string; server?: string }) {
  const status = (err as { code?: unknown; statusCode?: unknown })?.statusCode ?? (err instanceof KubeHttpError ? err.code : undefined);
  if (status === 410) return Object.assign(new Error('410 Gone'), { statusCode: 410 }); // handled as "relist", not shown
  if (typeof status !== 'number' && (err as { name?: string })?.name === 'AbortError') return err;
  return toFuncdeckError(err, { verb: 'watch', ...action });
}
