import fs from 'node:fs';
import https from 'node:https';

/**
 * The gateway's only way to the API server: plain HTTPS with its ServiceAccount's token and the
 * cluster's CA, as mounted into every pod. No client library: the gateway must stay one file with
 * no dependencies. Every call has a deadline; watches have an inactivity timer instead (informer.ts).
 */
export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeAnswer<T = unknown> {
  status: number;
  body: T;
}

export interface Kube {
  readonly namespace: string;
  request<T = unknown>(method: string, path: string, body?: unknown, opts?: { timeoutMs?: number; contentType?: string }): Promise<KubeAnswer<T>>;
  /** Opens a watch: each line of the answer is one event. Resolves when the stream ends. */
  watch(path: string, signal: AbortSignal, onLine: (line: string) => void): Promise<{ status: number; text: string }>;
}

export class KubeError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function inClusterKube(env = process.env, dir = SA_DIR): Kube {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('KUBERNETES_SERVICE_HOST is not set: the gateway runs only inside a cluster.');
  const namespace = env.FUNCDECK_NAMESPACE || fs.readFileSync(`${dir}/namespace`, 'utf8').trim();
  const agent = new https.Agent({ ca: fs.readFileSync(`${dir}/ca.crt`), keepAlive: true, maxSockets: 16 });
  // Bound tokens are rotated by the kubelet in place: read the file again now and then.
  let token = '';
  let tokenRead = 0;
  const auth = () => {
    if (Date.now() - tokenRead > 30_000) {
      token = fs.readFileSync(`${dir}/token`, 'utf8').trim();
      tokenRead = Date.now();
    }
    return `Bearer ${token}`;
  };

  function send(method: string, path: string, payload: Buffer | undefined, contentType: string, signal: AbortSignal, onResponse: (res: import('node:http').IncomingMessage) => void, reject: (e: Error) => void) {
    const req = https.request(
      {
        host: host!.includes(':') ? `[${host}]` : host,
        port,
        method,
        path,
        agent,
        signal,
        headers: { Authorization: auth(), Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}) },
      },
      onResponse,
    );
    req.on('error', reject);
    req.end(payload);
  }

  return {
    namespace,
    request<T>(method: string, path: string, body?: unknown, opts: { timeoutMs?: number; contentType?: string } = {}) {
      const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
      const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      return new Promise<KubeAnswer<T>>((resolve, reject) => {
        send(method, path, payload, opts.contentType ?? 'application/json', signal, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
        }, (e) => reject(signal.aborted ? new KubeError(`${method} ${path}: no answer within ${opts.timeoutMs ?? 10_000} ms`, 0) : e));
      });
    },
    watch(path, signal, onLine) {
      return new Promise((resolve, reject) => {
        send('GET', path, undefined, '', signal, (res) => {
          if (res.statusCode !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
            return;
          }
          let partial = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            const lines = (partial + c).split('\n');
            partial = lines.pop() ?? '';
            for (const l of lines) if (l.trim()) onLine(l);
          });
          res.on('end', () => resolve({ status: 200, text: '' }));
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('watch aborted')));
        }, reject);
      });
    },
  };
}

/** A Status body's message, for logs and errors. */
export function statusMessage(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body.slice(0, 300) : '';
}
