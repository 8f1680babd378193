import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError, toErrorShape, type ProbeResult } from '../../../shared/contract';
import { kubeJson, serverOf } from '../kube/http';

export const PROBE_TIMEOUT_MS = 3000;

/**
 * GET /version with a short deadline. Never throws: an unreachable cluster, bad credentials or a broken
 * kubeconfig come back as `reachable: false` with a typed error, so the UI can say why.
 */
export async function probeCluster(
  context: string,
  load: () => KubeConfig,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const done = (r: Omit<ProbeResult, 'context' | 'checkedAt' | 'latencyMs'>, latency: number | null): ProbeResult => ({
    context,
    ...r,
    latencyMs: latency === null ? null : Math.round(latency * 10) / 10,
    checkedAt: new Date().toISOString(),
  });
  let kc: KubeConfig;
  try {
    kc = load();
  } catch (e) {
    return done({ reachable: false, serverVersion: null, error: toErrorShape(e) }, null);
  }
  try {
    const v = await kubeJson<{ gitVersion?: string }>(
      kc,
      { path: '/version', timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS, signal: opts.signal },
      { verb: 'get', resource: 'the server version' },
    );
    return done({ reachable: true, serverVersion: v?.gitVersion ?? null }, performance.now() - started);
  } catch (e) {
    const latency = performance.now() - started;
    let err = e instanceof FuncdeckError ? e : new FuncdeckError('INTERNAL', String(e));
    if (err.code === 'UNAUTHORIZED') err = explainExpiredCert(kc) ?? err;
    // 403 on /version means the server answered and knows us: reachable, just locked down.
    if (err.code === 'FORBIDDEN') return done({ reachable: true, serverVersion: null, error: err.toShape() }, latency);
    return done({ reachable: false, serverVersion: null, error: err.toShape() }, latency);
  }
}

/** An expired client certificate is the usual reason for a 401 on local clusters; say so with its date. */
function explainExpiredCert(kc: KubeConfig): FuncdeckError | null {
  const user = kc.getCurrentUser();
  let pem: string | Buffer | undefined;
  try {
    if (user?.certData) pem = Buffer.from(user.certData, 'base64');
    else if (user?.certFile) pem = fs.readFileSync(user.certFile);
    if (!pem) return null;
    const cert = new X509Certificate(pem);
    if (Date.parse(cert.validTo) < Date.now()) {
      return new FuncdeckError(
        'UNAUTHORIZED',
        `The client certificate of user "${user!.name}" expired on ${new Date(cert.validTo).toISOString()}. Refresh your kubeconfig, e.g. \`kind export kubeconfig\` or \`minikube update-context\`.`,
        { server: serverOf(kc), expired: cert.validTo },
      );
    }
  } catch {
    return null;
  }
  return null;
}
