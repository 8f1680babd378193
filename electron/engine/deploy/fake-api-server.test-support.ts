import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A tiny stand-in for the API server, for unit tests of the engine's writes: objects by path,
 * GET / PATCH (apply or merge) / DELETE with uid preconditions, and every request recorded.
 * `conflictUnlessForced` makes server-side apply answer 409 like a field-manager conflict.
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: string;
}

export interface FakeApiServer {
  kc: KubeConfig;
  objects: Map<string, Record<string, unknown>>;
  requests: FakeRequest[];
  conflictUnlessForced: Set<string>;
  /** Paths whose apply is refused with this status (e.g. 403 for a quota). */
  refuse: Map<string, number>;
  close(): Promise<void>;
}

let uidCounter = 0;

export async function fakeApiServer(): Promise<FakeApiServer> {
  const objects = new Map<string, Record<string, unknown>>();
  const requests: FakeRequest[] = [];
  const conflictUnlessForced = new Set<string>();
  const refuse = new Map<string, number>();
  const status = (res: http.ServerResponse, code: number, message: string) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      const r: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers['content-type'], body };
      requests.push(r);
      const existing = objects.get(r.path);
      if (r.method === 'GET') {
        if (!existing) return status(res, 404, 'not found');
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(existing));
      }
      if (r.method === 'PATCH') {
        const refused = refuse.get(r.path);
        if (refused) return status(res, refused, 'refused by the fake');
        if (conflictUnlessForced.has(r.path) && r.query.force !== 'true') return status(res, 409, 'Apply failed with 1 conflict: conflict with "kubectl-edit": .spec.selector');
        const patch = JSON.parse(body) as { metadata?: { uid?: string } };
        if (r.contentType === 'application/merge-patch+json' && existing && patch.metadata?.uid && patch.metadata.uid !== (existing.metadata as { uid?: string }).uid) {
          return status(res, 422, 'metadata.uid: field is immutable');
        }
        const obj = { ...(existing ?? {}), ...patch, metadata: { ...((existing?.metadata as object) ?? {}), ...(patch.metadata ?? {}), uid: (existing?.metadata as { uid?: string } | undefined)?.uid ?? `uid-${++uidCounter}` } };
        objects.set(r.path, obj);
        res.writeHead(existing ? 200 : 201, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(obj));
      }
      if (r.method === 'DELETE') {
        if (!existing) return status(res, 404, 'not found');
        const opts = body ? (JSON.parse(body) as { preconditions?: { uid?: string } }) : {};
        if (opts.preconditions?.uid && opts.preconditions.uid !== (existing.metadata as { uid?: string }).uid) return status(res, 409, 'the UID in the precondition does not match');
        objects.delete(r.path);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ kind: 'Status', status: 'Success' }));
      }
      status(res, 405, 'method not allowed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  return {
    kc,
    objects,
    requests,
    conflictUnlessForced,
    refuse,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Puts an object at `path` as if someone had created it. */
export function seed(fake: FakeApiServer, path: string, name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): void {
  fake.objects.set(path, { metadata: { name, namespace: 'ns', uid: `seed-${name}`, labels, managedFields: [{ manager: 'kubectl-create', operation: 'Update' }] }, ...extra });
}
