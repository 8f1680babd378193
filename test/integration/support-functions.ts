import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { calls, streams, type CallName, type CallParams, type CallResult, type StreamName, type StreamEvent, type StreamParams } from '../../shared/contract';
import { RUNTIME_HEADERS } from '../../shared/contract/runtime-protocol';
import { DEFAULT_SETTINGS, type RuntimeImages, type Settings } from '../../shared/contract/settings';
import type { EngineContext } from '../../electron/engine/context';
import { depsHandlers } from '../../electron/engine/deps/handlers';
import { functionsHandlers } from '../../electron/engine/functions/handlers';
import { liveHandlers } from '../../electron/engine/live/handlers';
import type { ClusterAccess, ClusterTarget } from '../../electron/engine/kube/access';
import { defaultEngineOptions } from '../../electron/engine/options';
import { cluster, core, createNamespace, deleteNamespace, sleep } from './support-observe';

/**
 * Helpers for the functions/revisions/runtime integration tests: a namespace per file, an
 * EngineContext on the test cluster, the functions domain's handlers called the way the session
 * calls them (params parsed, results checked against the contract), and invoking a function
 * through the API server's service proxy.
 */
export { cluster, core, createNamespace, deleteNamespace, sleep };

/** Retries `fn` until it stops throwing (e.g. an expect), for states that converge (kubelet readiness). */
export async function eventually<T>(fn: () => Promise<T>, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

export interface FunctionsHarness {
  ctx: EngineContext;
  settings: Settings;
  call<K extends CallName>(name: K, params: CallParams<K>): Promise<CallResult<K>>;
  /** Subscribes like the UI: events checked against the contract; `stop()` unsubscribes. */
  subscribe<K extends StreamName>(name: K, params: StreamParams<K>): { events: StreamEvent<K>[]; done: Promise<unknown>; stop(): void };
  /** Aborts the current target's signal, as a context or namespace switch does. */
  switchAway(): void;
  dispose(): Promise<void>;
}

/**
 * `runtimeImages` stands for the selected context's images (the test cluster's unless given).
 * `engine.home` shares one HOME (so one data dir: the dependency cache) between harnesses, kept after
 * dispose; `engine.env` adds to the engine's environment (e.g. an npm registry it cannot reach).
 */
export function harness(
  namespace: string,
  settings: Partial<Settings> & { runtimeImages?: RuntimeImages } = {},
  engine: { env?: Record<string, string>; home?: string } = {},
): FunctionsHarness {
  const home = engine.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-fn-home-'));
  const options = defaultEngineOptions('web', 'test', { ...process.env, ...engine.env, HOME: home });
  const targetSignal = new AbortController();
  const target: ClusterTarget = { context: cluster.context, namespace, flavor: 'funcdeck-dev', kc: cluster.kc, signal: targetSignal.signal };
  const clusters: ClusterAccess = { target: () => target, onChange: () => () => undefined };
  const { runtimeImages = cluster.images, ...stored } = settings;
  const current: Settings = { ...DEFAULT_SETTINGS, ...stored };
  const disposers: Array<() => void | Promise<void>> = [];
  const ctx: EngineContext = { options, clusters, settings: { get: () => current, runtimeImages: async () => runtimeImages }, onDispose: (fn) => void disposers.push(fn) };
  // The functions domain, with the live-update and dependency calls that act on the same functions.
  const fns = functionsHandlers(ctx);
  const live = liveHandlers(ctx);
  const handlers = { calls: { ...fns.calls, ...live.calls, ...depsHandlers(ctx) }, streams: { ...fns.streams, ...live.streams } };
  return {
    ctx,
    settings: current,
    async call(name, params) {
      const def = calls[name];
      const parsed = def.params.parse(params ?? {});
      const handler = (handlers.calls as Record<string, (p: unknown) => Promise<unknown>>)[name];
      if (!handler) throw new Error(`not a functions call: ${name}`);
      const result = await handler(parsed);
      return def.result.parse(result) as never;
    },
    subscribe(name, params) {
      const def = streams[name] as unknown as { params: { parse(v: unknown): unknown }; event: { parse(v: unknown): unknown } };
      const ac = new AbortController();
      const events: never[] = [];
      const handler = (handlers.streams as Record<string, (p: unknown, s: unknown) => Promise<void>>)[name]!;
      const done = handler(def.params.parse(params ?? {}), {
        signal: ac.signal,
        emit: (e: unknown) => void events.push(def.event.parse(e) as never),
      });
      done.catch(() => undefined);
      return { events, done, stop: () => ac.abort() };
    },
    switchAway() {
      targetSignal.abort();
    },
    async dispose() {
      targetSignal.abort();
      await Promise.allSettled(disposers.map((d) => d()));
      if (!engine.home) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface InvokeResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  ms: number;
}

/** One request to the function through the API server's service proxy (as the invoke panel does). */
export async function invoke(
  namespace: string,
  fn: string,
  opts: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<InvokeResult> {
  const server = cluster.kc.getCurrentCluster()!.server;
  const httpsOpts: https.RequestOptions & { headers?: Record<string, string> } = {};
  await cluster.kc.applyToHTTPSOptions(httpsOpts);
  const url = new URL(`${server.replace(/\/$/, '')}/api/v1/namespaces/${namespace}/services/${fn}:http/proxy${opts.path ?? '/'}`);
  const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
  const started = performance.now();
  return new Promise<InvokeResult>((resolve, reject) => {
    const req = https.request(
      url,
      {
        ...httpsOpts,
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: { ...(httpsOpts.headers ?? {}), ...(opts.headers ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString('utf8'), ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('invoke timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Invokes until the function answers 2xx from `revision` (or any revision when omitted). */
export async function invokeUntilReady(namespace: string, fn: string, revision?: number, ms = 60_000, opts: Parameters<typeof invoke>[2] = {}): Promise<InvokeResult> {
  const deadline = Date.now() + ms;
  let last: InvokeResult | Error | null = null;
  while (Date.now() < deadline) {
    try {
      const r = await invoke(namespace, fn, { ...opts, timeoutMs: 5000 });
      last = r;
      if (r.status < 300 && (revision === undefined || r.headers[RUNTIME_HEADERS.revision] === String(revision))) return r;
    } catch (e) {
      last = e as Error;
    }
    await sleep(20); // fine-grained: bench/cases time the first answer of a new revision with this
  }
  throw new Error(`function ${fn} did not answer from revision ${revision ?? 'any'}: ${last instanceof Error ? last.message : `HTTP ${last?.status} ${last?.text.slice(0, 300)}`}`);
}

export const nodeSpec = (name: string, content: string, extra: Record<string, unknown> = {}) => ({
  name,
  runtime: 'nodejs' as const,
  handler: 'handler.main',
  files: [{ path: 'handler.js', content }],
  ...extra,
});
