import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { NoAnswerError, trackConnect } from './no-answer';

export interface AnonymousAnswer {
  status: number;
  body: string;
}

/** The current context's cluster with no user at all: its TLS trust and proxy, no credentials. */
function anonymousView(kc: KubeConfig): KubeConfig {
  const cluster = kc.getCurrentCluster();
  const view = new KubeConfig();
  view.loadFromOptions({
    clusters: cluster ? [cluster] : [],
    users: [{ name: 'funcdeck-anonymous' }],
    contexts: cluster ? [{ name: 'anonymous', cluster: cluster.name, user: 'funcdeck-anonymous' }] : [],
    currentContext: 'anonymous',
  });
  return view;
}

/**
 * GET `path` on the current context's API server without any credentials (the cluster's CA and proxy
 * settings still apply), within `timeoutMs`. Used where no credential plugin may run: reachability of
 * contexts nobody selected, and the health checks. Any HTTP answer (401/403 included) resolves;
 * no answer rejects with a NoAnswerError (or a TLS error from Node).
 */
export async function anonymousGet(kc: KubeConfig, path: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<AnonymousAnswer> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new FuncdeckError('KUBECONFIG_INVALID', `Context "${kc.getCurrentContext()}" has no cluster server URL. Fix the context in your kubeconfig.`);
  const opts: https.RequestOptions = {};
  await anonymousView(kc).applyToHTTPSOptions(opts);
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise<AnonymousAnswer>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, value?: AnonymousAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = mod.request(url, { method: 'GET', agent: opts.agent, headers: { Accept: 'application/json, */*' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 64 * 1024) body += c;
      });
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, body }));
      res.on('error', (e) => finish(e));
    });
    const connected = trackConnect(req);
    const timer = setTimeout(() => {
      const c = connected();
      finish(
        new NoAnswerError(
          c ? `connected to ${cluster.server}, but it sent no answer within ${o.timeoutMs} ms` : `could not connect to ${cluster.server} within ${o.timeoutMs} ms`,
          'ETIMEDOUT',
          c ? 'api-server' : 'network',
          c,
        ),
      );
    }, o.timeoutMs);
    const onAbort = () => finish(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    req.on('error', (e) => finish(e));
    req.end();
  });
}
