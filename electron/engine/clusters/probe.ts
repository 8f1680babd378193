import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError, toErrorShape, type ProbeResult, type ReachabilityVerdict } from '../../../shared/contract';
import { anonymousGet } from '../kube/anonymous';
import { hasExecUser } from '../kube/credentials';
import { toFuncdeckError } from '../kube/errors';
import { healthFor } from '../kube/health';
import { kubeJson, serverOf } from '../kube/http';

export const PROBE_TIMEOUT_MS = 3000;

/** credentials: as the context's user (its exec plugin runs); anonymous: no credentials at all. */
export type ProbeMode = 'credentials' | 'anonymous';

type Outcome = Omit<ProbeResult, 'context' | 'checkedAt' | 'latencyMs'>;

/**
 * Checks one context within a short deadline. Never throws: an unreachable cluster, bad credentials
 * or a broken kubeconfig come back as `reachable: false` with a typed error, so the UI can say why.
 * `credentials` (the selected context, or an explicit probe): GET /version as the user; when getting
 * the credentials fails, the server's own verdict still comes from an anonymous check made alongside.
 * `anonymous` (every other context): GET /version without credentials, so no plugin runs.
 */
export async function probeCluster(
  context: string,
  load: () => KubeConfig,
  opts: { timeoutMs?: number; signal?: AbortSignal; mode?: ProbeMode } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const done = (r: Outcome, latency: number | null): ProbeResult => ({
    context,
    ...r,
    latencyMs: latency === null ? null : Math.round(latency * 10) / 10,
    checkedAt: new Date().toISOString(),
  });
  let kc: KubeConfig;
  try {
    kc = load();
  } catch (e) {
    return done({ reachable: false, verdict: 'unknown', serverVersion: null, error: toErrorShape(e) }, null);
  }
  if (opts.mode === 'anonymous') {
    const a = await anonymousCheck(kc, timeoutMs, opts.signal);
    return done({ ...a, checkedWith: 'anonymous' }, a.verdict === 'reachable' ? performance.now() - started : null);
  }
  // Only a plugin can make the credentials fail slowly: then learn the server's verdict meanwhile.
  const anonymous = hasExecUser(kc) ? anonymousCheck(kc, timeoutMs, opts.signal) : null;
  try {
    const v = await kubeJson<{ gitVersion?: string }>(kc, { path: '/version', timeoutMs, signal: opts.signal }, { verb: 'get', resource: 'the server version' });
    return done({ reachable: true, verdict: 'reachable', checkedWith: 'credentials', serverVersion: v?.gitVersion ?? null }, performance.now() - started);
  } catch (e) {
    const latency = performance.now() - started;
    let err = e instanceof FuncdeckError ? e : new FuncdeckError('INTERNAL', String(e));
    if ((err.details as { source?: string } | undefined)?.source === 'credentials' && anonymous) {
      const a = await anonymous;
      return done({ reachable: false, verdict: a.verdict, serverVersion: a.serverVersion, checkedWith: 'anonymous', error: err.toShape() }, null);
    }
    if (err.code === 'UNAUTHORIZED') err = explainExpiredCert(kc) ?? err;
    // Any HTTP status (401, 403, 5xx) means the server answered.
    const answered = typeof (err.details as { status?: unknown } | undefined)?.status === 'number';
    const verdict: ReachabilityVerdict = answered ? 'reachable' : err.code === 'CLUSTER_UNREACHABLE' ? 'unreachable' : 'unknown';
    // 403 on /version means the server answered and knows us: reachable, just locked down.
    if (err.code === 'FORBIDDEN') return done({ reachable: true, verdict, checkedWith: 'credentials', serverVersion: null, error: err.toShape() }, latency);
    return done({ reachable: false, verdict, checkedWith: 'credentials', serverVersion: null, error: err.toShape() }, latency);
  }
}

/** GET /version without credentials: any HTTP answer proves the server is there. */
async function anonymousCheck(kc: KubeConfig, timeoutMs: number, signal?: AbortSignal): Promise<Pick<ProbeResult, 'reachable' | 'verdict' | 'serverVersion' | 'error'>> {
  const health = healthFor(kc);
  try {
    const r = await anonymousGet(kc, '/version', { timeoutMs, signal });
    health?.answered();
    let serverVersion: string | null = null;
    if (r.status === 200) {
      try {
        serverVersion = (JSON.parse(r.body) as { gitVersion?: string }).gitVersion ?? null;
      } catch {
        serverVersion = null;
      }
    }
    return { reachable: true, verdict: 'reachable', serverVersion };
  } catch (e) {
    const err = toFuncdeckError(e, { verb: 'get', resource: 'the server version', server: serverOf(kc) });
    if (err.code === 'CLUSTER_UNREACHABLE') {
      const source = (err.details as { source?: 'network' | 'api-server' } | undefined)?.source ?? 'network';
      health?.failed(source, err);
      return { reachable: false, verdict: 'unreachable', serverVersion: null, error: err.toShape() };
    }
    return { reachable: false, verdict: 'unknown', serverVersion: null, error: err.toShape() };
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
