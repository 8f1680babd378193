import type https from 'node:https';
import { applyCredentials } from '../kube/credentials';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import { FuncdeckError } from '../../../shared/contract/errors';

/**
 * One command in a pod's container through the API server (`pods/exec`, the WebSocket streaming
 * protocol kubectl uses), with the kubeconfig's own credentials: stdin given whole, stdout and
 * stderr collected, a hard deadline. Nothing listens in the pod; the kubelet runs the command.
 */

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The API server's final status for the command (Success, or Failure with a message). */
  status: { status?: string; message?: string; reason?: string };
}

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

export async function execInPod(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  command: string[],
  stdin: Buffer,
  opts: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<ExecResult> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL. Fix the context in your kubeconfig.');
  const tls: https.RequestOptions & { headers?: Record<string, string> } = {};
  // The deadline covers getting credentials too (a credential plugin can hang).
  await applyCredentials(kc, tls, { timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  q.set('container', target.container);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  const url = `${server.replace(/^http/, 'ws').replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${q}`;
  const where = `pod ${target.pod} in namespace "${target.namespace}"`;
  return new Promise<ExecResult>((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      pfx: tls.pfx,
      passphrase: tls.passphrase,
      rejectUnauthorized: tls.rejectUnauthorized,
      headers: tls.headers,
      handshakeTimeout: opts.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let status: ExecResult['status'] = {};
    let settled = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      if (e) reject(e);
      else resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status });
    };
    const timer = setTimeout(() => finish(new FuncdeckError('TIMEOUT', `The command in ${where} did not finish within ${Math.round(opts.timeoutMs / 1000)} s.`)), opts.timeoutMs);
    const onAbort = () => finish(new FuncdeckError('CANCELLED', `Stopped: the command in ${where} was cancelled.`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('unexpected-response', (_req, res) => {
      const code = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        let message = body;
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
          // plain text
        }
        if (code === 403) finish(new FuncdeckError('FORBIDDEN', `You may not run commands in pods here (pods/exec, create, in namespace "${target.namespace}"), which live update needs: ${message}`, { verb: 'create', resource: 'pods/exec', namespace: target.namespace }));
        else if (code === 401) finish(new FuncdeckError('UNAUTHORIZED', `The cluster did not accept your credentials: ${message}`));
        else if (code === 404) finish(new FuncdeckError('NOT_FOUND', `There is no ${where} (it may have just been replaced).`));
        else finish(new FuncdeckError('CLUSTER_UNREACHABLE', `Running a command in ${where} failed: HTTP ${code} ${message}`.trim()));
      });
    });
    ws.on('error', (e: NodeJS.ErrnoException) => finish(new FuncdeckError('CLUSTER_UNREACHABLE', `Cannot reach the API server to run a command in ${where} (${e.code ?? e.message}).`)));
    ws.on('open', () => {
      ws.send(Buffer.concat([Buffer.from([STDIN]), stdin]));
      // v5 can say "no more stdin"; with v4 the command reads exactly what it was told to.
      if (ws.protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([CLOSE, STDIN]));
    });
    ws.on('message', (data: Buffer) => {
      const b = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (!b.length) return;
      const body = b.subarray(1);
      if (b[0] === STDOUT) out.push(body);
      else if (b[0] === STDERR) err.push(body);
      else if (b[0] === ERROR) {
        try {
          status = JSON.parse(body.toString('utf8')) as ExecResult['status'];
        } catch {
          status = { status: 'Failure', message: body.toString('utf8') };
        }
      }
    });
    ws.on('close', () => finish(null));
  });
}
