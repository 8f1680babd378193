import fs from 'node:fs';
import type https from 'node:https';
import { KubeConfig, type Cluster, type User } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { healthFor } from './health';
import { PluginStopped, pluginName, runExecPlugin, type ExecClusterInfo, type ExecConfig, type ExecCredentialStatus } from './exec-plugin';

export type HttpsOpts = https.RequestOptions & { headers?: Record<string, string> };

/** How long a call without a deadline of its own may wait for a credential plugin. */
export const DEFAULT_CREDENTIAL_TIMEOUT_MS = 20_000;

/** The caller's limits: every call's deadline covers getting its credentials. */
export interface CredentialCall {
  signal?: AbortSignal;
  /** Milliseconds this call may wait for the plugin (default DEFAULT_CREDENTIAL_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Exec entries of users handed to client-node without them (see withoutExec). */
const stashed = new WeakMap<object, ExecConfig>();

/**
 * The user as client-node should see it: without `exec`, so client-node's own plugin runner (no
 * deadline, no process-group kill, every context at once) never runs. The entry is kept here.
 */
export function withoutExec(user: User): User {
  const exec = user.exec as ExecConfig | undefined;
  if (!exec?.command) return user;
  const rest: Record<string, unknown> = { ...user };
  delete rest.exec;
  stashed.set(rest, exec);
  return rest as unknown as User;
}

/** The exec credential plugin of a user, if it has one (stashed by withoutExec, or still in place). */
export function execConfigOf(user: User | null | undefined): ExecConfig | undefined {
  if (!user) return undefined;
  const exec = stashed.get(user) ?? (user.exec as ExecConfig | undefined);
  return exec?.command ? exec : undefined;
}

interface Cached {
  status: ExecCredentialStatus;
  /** ms since epoch; null: valid until the server rejects it. */
  expiresAt: number | null;
}
interface Run {
  promise: Promise<ExecCredentialStatus>;
  waiters: number;
  controller: AbortController;
}
const cache = new Map<string, Cached>();
const runs = new Map<string, Run>();

function clusterInfo(cluster: Cluster | null): ExecClusterInfo | undefined {
  if (!cluster) return undefined;
  let ca = cluster.caData;
  if (!ca && cluster.caFile) {
    try {
      ca = fs.readFileSync(cluster.caFile).toString('base64');
    } catch {
      ca = undefined;
    }
  }
  return {
    server: cluster.server,
    ...(ca ? { 'certificate-authority-data': ca } : {}),
    ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}

function cacheKey(exec: ExecConfig, cluster: Cluster | null): string {
  return JSON.stringify([exec, exec.provideClusterInfo ? clusterInfo(cluster) : null]);
}

/** "2" for 1.9-2.4 s (a call's deadline of 2 s, minus what the call did before asking), "0.3" below 1.5 s. */
const seconds = (ms: number) => (ms < 1500 ? String(Math.round(ms / 100) / 10) : String(Math.round(ms / 1000)));

/** Was this abort a deadline (rather than a cancel)? */
function isDeadline(reason: unknown): boolean {
  const r = reason as { name?: string; code?: string } | null;
  return r?.name === 'TimeoutError' || r?.code === 'ETIMEDOUT' || r?.code === 'TIMEOUT';
}

/**
 * The current user's exec credential, or null when it has no plugin. Cached until its
 * expirationTimestamp; concurrent callers share one run; the run is stopped (its process group
 * killed) when the last caller waiting for it gives up. A caller's deadline ends in an error that
 * names the plugin and the context, never "cluster unreachable".
 */
export async function execCredential(kc: KubeConfig, call: CredentialCall = {}): Promise<ExecCredentialStatus | null> {
  const user = kc.getCurrentUser();
  const exec = execConfigOf(user);
  if (!exec) return null;
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  const key = cacheKey(exec, cluster);
  const hit = cache.get(key);
  if (hit && (hit.expiresAt === null || hit.expiresAt > Date.now())) return hit.status;
  if (hit) cache.delete(key);

  if (call.signal?.aborted) throw isDeadline(call.signal.reason) ? timeoutError(exec, context, 0) : cancelled(call.signal.reason, exec, context);
  let run = runs.get(key);
  if (!run) {
    const controller = new AbortController();
    const r: Run = {
      controller,
      waiters: 0,
      promise: runExecPlugin(exec, { context, cluster: clusterInfo(cluster), signal: controller.signal }).then((status) => {
        const at = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : NaN;
        cache.set(key, { status, expiresAt: Number.isFinite(at) ? at : null });
        return status;
      }),
    };
    r.promise.then(
      () => runs.get(key) === r && runs.delete(key),
      () => runs.get(key) === r && runs.delete(key),
    );
    runs.set(key, r);
    run = r;
  }
  const timeoutMs = call.timeoutMs ?? DEFAULT_CREDENTIAL_TIMEOUT_MS;
  const started = performance.now();
  const health = healthFor(kc);
  run.waiters++;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const status = await new Promise<ExecCredentialStatus>((resolve, reject) => {
      const timedOut = () => reject(timeoutError(exec, context, performance.now() - started));
      timer = setTimeout(timedOut, Math.max(0, timeoutMs));
      onAbort = () => (isDeadline(call.signal?.reason) ? timedOut() : reject(cancelled(call.signal?.reason, exec, context)));
      if (call.signal?.aborted) onAbort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      run.promise.then(resolve, (e: unknown) => reject(e instanceof PluginStopped ? timeoutError(exec, context, performance.now() - started) : e));
    });
    health?.credentialsOk();
    return status;
  } catch (e) {
    if (e instanceof FuncdeckError && e.code !== 'CANCELLED') health?.credentialsFailed(e);
    throw e;
  } finally {
    clearTimeout(timer);
    if (onAbort) call.signal?.removeEventListener('abort', onAbort);
    // Nobody waits for it any more: stop it (a settled run ignores this).
    if (--run.waiters === 0) {
      if (runs.get(key) === run) runs.delete(key);
      run.controller.abort();
    }
  }
}

function timeoutError(exec: ExecConfig, context: string, waitedMs: number): FuncdeckError {
  const name = pluginName(exec);
  return new FuncdeckError(
    'TIMEOUT',
    `The credential plugin \`${name}\` for context \`${context}\` did not answer within ${seconds(waitedMs)} s, so it was stopped. The cluster was not asked. Check that \`${name}\` works in a terminal (e.g. \`kubectl --context ${context} get namespaces\`) without asking anything, then try again.`,
    { source: 'credentials', plugin: name, context, reason: 'timeout', waitedMs: Math.round(waitedMs) },
  );
}

function cancelled(reason: unknown, exec: ExecConfig, context: string): FuncdeckError {
  if (reason instanceof FuncdeckError) return reason;
  return new FuncdeckError('CANCELLED', `Stopped while waiting for the credential plugin \`${pluginName(exec)}\` of context \`${context}\`.`, {
    source: 'credentials',
    context,
  });
}

/** Forgets the current user's cached exec credential (the server rejected it): the next call runs the plugin again. */
export function forgetExecCredential(kc: KubeConfig): void {
  const exec = execConfigOf(kc.getCurrentUser());
  if (exec) cache.delete(cacheKey(exec, kc.getCurrentCluster()));
}

/** A copy of `kc` whose current user carries `status` as static credentials (client-node applies those). */
const views = new WeakMap<KubeConfig, { status: ExecCredentialStatus; view: KubeConfig }>();
function staticView(kc: KubeConfig, status: ExecCredentialStatus): KubeConfig {
  const known = views.get(kc);
  if (known?.status === status) return known.view;
  const user = kc.getCurrentUser()!;
  const plain: Record<string, unknown> = { ...user, name: user.name };
  delete plain.exec;
  if (status.token) plain.token = status.token;
  if (status.clientCertificateData && status.clientKeyData) {
    plain.certData = Buffer.from(status.clientCertificateData).toString('base64');
    plain.keyData = Buffer.from(status.clientKeyData).toString('base64');
    delete plain.certFile;
    delete plain.keyFile;
  }
  const view = new KubeConfig();
  const ctx = kc.getContextObject(kc.getCurrentContext());
  view.loadFromOptions({ clusters: kc.getClusters(), users: [plain], contexts: ctx ? [ctx] : [], currentContext: kc.getCurrentContext() });
  views.set(kc, { status, view });
  return view;
}

/** Does the current user get its credentials from an exec plugin (so they can change per request)? */
export function hasExecUser(kc: KubeConfig): boolean {
  return execConfigOf(kc.getCurrentUser()) !== undefined;
}

/**
 * Fills `opts` (TLS, proxy agent, Authorization) for a request as the current user, within the
 * call's limits. Exec plugins run here (ours, not client-node's); token, client-certificate and
 * auth-provider users are applied by client-node.
 */
export async function applyCredentials(kc: KubeConfig, opts: HttpsOpts, call: CredentialCall = {}): Promise<void> {
  const status = await execCredential(kc, call);
  if (status) return staticView(kc, status).applyToHTTPSOptions(opts);
  await withDeadline(kc.applyToHTTPSOptions(opts), call);
}

function withDeadline<T>(p: Promise<T>, call: CredentialCall): Promise<T> {
  if (!call.signal && call.timeoutMs === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new FuncdeckError('TIMEOUT', 'Getting the credentials of this context took too long (an auth provider did not answer).', { source: 'credentials' })), call.timeoutMs ?? DEFAULT_CREDENTIAL_TIMEOUT_MS);
    const onAbort = () => reject(call.signal?.reason ?? new Error('aborted'));
    call.signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    });
  });
}

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/**
 * For client-node's own clients (Watch, Log, generated APIs): users whose exec entry we took away
 * get their credentials from our runner, with the default deadline, sharing our cache.
 */
export function execAuthenticator(kc: KubeConfig): Authenticator {
  return {
    isAuthProvider: (user: User) => stashed.has(user),
    async applyAuthentication(user: User, opts: HttpsOpts) {
      if (kc.getCurrentUser() !== user) return;
      const status = await execCredential(kc);
      if (!status) return;
      if (status.clientCertificateData && status.clientKeyData) {
        opts.cert = status.clientCertificateData;
        opts.key = status.clientKeyData;
      }
      if (status.token) {
        opts.headers ??= {};
        opts.headers.Authorization = `Bearer ${status.token}`;
      }
    },
  } as Authenticator;
}
