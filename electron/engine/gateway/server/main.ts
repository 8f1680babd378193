import { PART_LABEL, poolPart } from '../shared/constants';
import { GATEWAY_STATUS_VERSION, type GatewayStatusDoc } from '../shared/status-doc';
import { Activator } from './activator';
import { CanaryRunner } from './canary-runner';
import { Informer } from './informer';
import { inClusterKube } from './kube';
import { Listeners } from './listeners';
import { log } from './log';
import { GatewayMetrics } from './metrics';
import { OPS_PORT, opsServer } from './ops';
import { PoolManager } from './pool';
import { Prober } from './prober';
import { Router } from './router';
import { Scaler } from './scaler';
import { GatewayState } from './state';

/**
 * Funcdeck's namespace gateway: serves the functions of its namespace whose Services point at it
 * (splits, tags, scale to zero with activation, concurrency autoscaling, canaries). Its routes come
 * from the Services' annotations, so a restarted gateway serves the same routes. Runs on the Node
 * runtime image, as one bundled file with no dependencies. Design: ../README.md.
 */
const env = process.env;
const version = env.FUNCDECK_GATEWAY_VERSION ?? 'dev';
const podName = env.FUNCDECK_POD_NAME ?? 'gateway';
const activationMs = Number(env.FUNCDECK_ACTIVATION_TIMEOUT_MS ?? 25_000);
const drainMs = Number(env.FUNCDECK_DRAIN_MS ?? 5_000);
const graceMs = Number(env.FUNCDECK_SHUTDOWN_GRACE_MS ?? 50_000);
const startedAt = new Date().toISOString();

const MANAGED = 'app.kubernetes.io/managed-by=funcdeck';
const kube = inClusterKube();
const ns = encodeURIComponent(kube.namespace);
const state = new GatewayState();
const metrics = new GatewayMetrics();
const scaler = new Scaler(kube, state, metrics, log);
const canary = new CanaryRunner(kube, state, scaler, log, podName);
// The prober hurries pods someone waits for, and tells the activator when one proved ready.
const waiting = { activator: null as Activator | null };
const prober = new Prober(state, (key) => !!waiting.activator?.waiting(key), () => waiting.activator?.notify());
const pool = new PoolManager(kube, state, log, () => waiting.activator?.notify());
const activator = new Activator(state, scaler, prober, activationMs, pool);
waiting.activator = activator;
const router = new Router(state, activator, scaler, canary, metrics, `${version} ${podName}`, log);
const listeners = new Listeners((port, req, res) => {
  const route = state.byPort.get(port);
  if (!route) return router.reply(res, 503, `No function is served on gateway port ${port} any more.`, `port ${port}`, '');
  void router.handle(route, req, res);
}, log);

let synced = false;
let terminating = false;

state.onChange(() => {
  listeners.sync(new Map([...state.byPort].map(([p, r]) => [p, r.fn])));
  activator.notify();
});

const ready = () => synced && !terminating && listeners.allBound(state.byPort.keys());

function status(): GatewayStatusDoc {
  const now = Date.now();
  const functions: GatewayStatusDoc['functions'] = {};
  for (const route of state.functions.values()) {
    const p = canary.progressOf(route);
    const revisions: GatewayStatusDoc['functions'][string]['revisions'] = {};
    for (const rev of state.revisions.values()) {
      if (rev.fn !== route.fn) continue;
      const l = scaler.loads.get(rev.key);
      revisions[String(rev.rev)] = {
        replicas: rev.replicas,
        ready: state.usablePods(rev.key, now).length,
        inFlight: l?.meter.inFlight ?? 0,
        desired: l?.desired ?? null,
        panicking: l?.panicking ?? false,
      };
    }
    functions[route.fn] = {
      port: route.port,
      hash: route.hash,
      listening: listeners.isBound(route.port),
      weights: canary.weightsOf(route),
      canary: p && route.doc.canary ? { ...p, window: canary.windowOf(route, now) } : null,
      revisions,
    };
  }
  return { v: GATEWAY_STATUS_VERSION, version, pod: podName, ready: ready(), terminating, startedAt, functions, problems: state.problems };
}

const ops = opsServer({ ready, metrics: () => metrics.text(), status });
ops.listen(OPS_PORT, '0.0.0.0');

const life = new AbortController();
async function start(): Promise<void> {
  await canary.load();
  const selector = `${MANAGED},funcdeck.dev/function`;
  const revisionSelector = `${selector},funcdeck.dev/revision`;
  await Promise.all([
    new Informer(kube, { path: `/api/v1/namespaces/${ns}/services`, labelSelector: selector, onChange: (i) => state.setServices(i) }, log).start(life.signal),
    new Informer(kube, { path: `/apis/apps/v1/namespaces/${ns}/deployments`, labelSelector: revisionSelector, onChange: (i) => state.setDeployments(i) }, log).start(life.signal),
    new Informer(kube, { path: `/api/v1/namespaces/${ns}/pods`, labelSelector: revisionSelector, onChange: (i) => state.setPods(i) }, log).start(life.signal),
    new Informer(kube, { path: `/api/v1/namespaces/${ns}/pods`, labelSelector: `${MANAGED},funcdeck.dev/component=gateway,${PART_LABEL}=${poolPart('nodejs')}`, onChange: (i) => pool.setPods(i) }, log).start(life.signal),
  ]);
  synced = true;
  prober.start();
  setInterval(() => {
    const routed = new Map<string, Set<number>>();
    const viaGateway = new Set<string>();
    for (const r of state.functions.values()) {
      routed.set(r.fn, canary.routed(r));
      if (r.doc.via === 'gateway') viaGateway.add(r.fn);
    }
    scaler.tick(routed, viaGateway);
  }, 2000).unref();
  setInterval(() => canary.tick(), 1000).unref();
  // A bridge is wanted while its revision has calls in flight or had one within its idle grace.
  setInterval(() => pool.tick((key) => {
    const rev = state.revisions.get(key);
    const l = scaler.loads.get(key);
    return !!rev && !!l && (l.meter.inFlight > 0 || Date.now() - l.lastActivity < Math.max(1, rev.scale.graceSeconds) * 1000);
  }), 250).unref();
  log(`Funcdeck gateway ${version} serving namespace ${kube.namespace}: ${state.functions.size} function(s)`);
}

/**
 * SIGTERM (an upgrade or a scale-down): stop being ready and making decisions, keep serving while
 * the endpoints drop this pod (answers say `connection: close`, so callers reconnect elsewhere),
 * then stop listening and wait for the calls in flight, held ones included, up to the grace period.
 */
function shutdown(signal: string): void {
  if (terminating) return;
  terminating = true;
  scaler.active = false;
  canary.active = false;
  router.draining = true;
  log(`${signal}: draining for ${drainMs} ms, then finishing ${router.inFlight} call(s) in flight`);
  setTimeout(() => {
    listeners.close();
    const deadline = Date.now() + graceMs;
    const wait = setInterval(() => {
      if (router.inFlight === 0 || Date.now() > deadline) {
        clearInterval(wait);
        log(`exiting with ${router.inFlight} call(s) in flight`);
        life.abort();
        process.exit(0);
      }
    }, 50);
  }, drainMs);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));

start().catch((e: unknown) => {
  log(`could not start: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
