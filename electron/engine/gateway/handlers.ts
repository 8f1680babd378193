import { randomUUID } from 'node:crypto';
import { sleep } from '../kube/backoff';
import { FuncdeckError } from '../../../shared/contract/errors';
import type { TrafficState } from '../../../shared/contract/traffic';
import type { EngineContext } from '../context';
import { routingTarget, type DeployDeps } from '../deploy/deploy';
import type { V1Pod } from '@kubernetes/client-node';
import { collections, lastLogLines, listObjects } from '../deploy/kube-ops';
import { GATEWAY_OWNER, isOurs } from '../deploy/ownership';
import { readFunction } from '../deploy/revision-state';
import type { CallHandlers, StreamHandlers } from '../handlers';
import { GATEWAY_CONTAINER, gatewaySelector } from './manifests';
import { currentTraffic, lastCanaryText, settleCanary } from './canary-settle';
import { applyTraffic, rolloutTextOf, servingOf, type Desired } from './routing';
import { parseCanaryPlan, serializeCanaryPlan, type CanaryPlanDoc } from './shared/traffic-doc';
import { readGatewayInfo, readTrafficState } from './traffic-state';

type TrafficCallNames = 'traffic.get' | 'traffic.set' | 'traffic.canary' | 'traffic.rollout' | 'gateway.get' | 'gateway.logs';
type TrafficStreamNames = 'traffic.watch' | 'gateway.watch';

const DEFAULT_PLAN: CanaryPlanDoc = { steps: [10, 50, 100], stepSeconds: 30, maxErrorRate: 0.2, windowSeconds: 30, minRequests: 10 };
const lockKey = (context: string, ns: string, fn: string) => `${context}\u0000${ns}\u0000${fn}`;

/**
 * Traffic (weights, tags, canaries, rollout plans) and the namespace gateway, for the contract.
 * Changes run under the function's deploy lock, so they never interleave with a deploy or rollback.
 */
export function trafficHandlers(ctx: EngineContext, deps: DeployDeps): { calls: Pick<CallHandlers, TrafficCallNames>; streams: Pick<StreamHandlers, TrafficStreamNames> } {
  const image = async () => (await ctx.settings.runtimeImages()).nodejs;

  /** Changes a function's traffic from what callers get now (a finished canary settled on the way), under its lock. */
  async function change(fn: string, make: (desiredNow: Desired | null, rollout: string | null) => { desired: Desired | null; rollout?: string | null }): Promise<TrafficState> {
    const t = ctx.clusters.target();
    const rt = await routingTarget(deps, t.kc, t.namespace, t.context);
    await deps.lock.run(lockKey(t.context, t.namespace, fn), async () => {
      const objs = await readFunction(t.kc, t.namespace, fn);
      if (!objs.revisions.length) throw new FuncdeckError('NOT_FOUND', `There is no function "${fn}" in namespace "${t.namespace}".`);
      const cur = await currentTraffic(t.kc, t.namespace, fn, objs);
      const { desired, rollout } = make(cur.desired, rolloutTextOf(objs.service));
      const d = desired ?? cur.desired;
      if (!d) throw new FuncdeckError('NOT_FOUND', `Function "${fn}" has no serving revision yet; wait for its deploy to finish.`);
      await applyTraffic(rt, fn, d, { rollout, ...(cur.finished ? { lastCanary: lastCanaryText(cur.finished) } : {}) });
      // The function views count the Service's new serving revision from now on, not only once their watch sees it.
      deps.knowledge?.routed(t.context, t.namespace, fn, d.canary ? d.canary.from : servingOf(d), objs.serving);
    });
    return readTrafficState(t.kc, t.namespace, fn);
  }

  return {
    calls: {
      'traffic.get': async ({ name }) => {
        const t = ctx.clusters.target();
        const objs = await readFunction(t.kc, t.namespace, name);
        if (!objs.revisions.length && !objs.service) throw new FuncdeckError('NOT_FOUND', `There is no function "${name}" in namespace "${t.namespace}".`);
        return readTrafficState(t.kc, t.namespace, name, objs);
      },
      'traffic.set': async ({ name, weights, tags }) => change(name, () => ({ desired: { weights, tags, canary: null } })),
      'traffic.canary': async ({ name, revision, plan }) =>
        change(name, (now, rollout) => {
          if (!now) return { desired: null };
          const from = servingOf({ ...now, canary: null });
          if (from === revision) throw new FuncdeckError('BAD_REQUEST', `revision: Revision ${revision} already has the most traffic; pick another revision to roll out.`, { issues: [{ path: 'revision', message: 'already serving' }] });
          const p: CanaryPlanDoc = plan ?? parseCanaryPlan(safeJson(rollout)) ?? DEFAULT_PLAN;
          return { desired: { weights: [{ revision: from, percent: 100 }], tags: now.tags, canary: { ...p, id: randomUUID().slice(0, 8), from, to: revision, startedAt: new Date().toISOString() } } };
        }),
      'traffic.rollout': async ({ name, plan }) => change(name, () => ({ desired: null, rollout: plan ? serializeCanaryPlan(plan) : null })),
      'gateway.get': async () => {
        const t = ctx.clusters.target();
        return readGatewayInfo(t.kc, t.namespace, await image());
      },
      'gateway.logs': async ({ tailLines }) => {
        const t = ctx.clusters.target();
        // The router's pods and the warm pool's: a call a warm pod served is in its log.
        const pods = (await listObjects<V1Pod>(t.kc, collections(t.namespace).pods, gatewaySelector())).filter((p) => isOurs(p, GATEWAY_OWNER));
        const per = await Promise.all(
          pods.map(async (p) => (await lastLogLines(t.kc, t.namespace, p.metadata?.name ?? '', p.spec?.containers?.[0]?.name ?? GATEWAY_CONTAINER, false, tailLines)).map((text) => ({ pod: p.metadata?.name ?? '', text }))),
        );
        // Lines start with an ISO time: merged by it, oldest first.
        return { lines: per.flat().sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)).slice(-tailLines) };
      },
    },
    streams: {
      'traffic.watch': async ({ name }, sink) => {
        const t = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, t.signal]);
        let last = '';
        let settled = '';
        while (!signal.aborted) {
          const s = await readTrafficState(t.kc, t.namespace, name, undefined, signal).catch((e: unknown) => {
            if (signal.aborted) return null;
            throw e;
          });
          if (!s) break;
          // A canary the gateway finished is settled into the Service as soon as someone looks at it.
          if (s.canary && s.canary.state !== 'running' && settled !== s.canary.startedAt) {
            settled = s.canary.startedAt;
            const rt = await routingTarget(deps, t.kc, t.namespace, t.context);
            const moved = await deps.lock.run(lockKey(t.context, t.namespace, name), () => settleCanary(rt, name)).catch(() => null);
            if (moved) deps.knowledge?.routed(t.context, t.namespace, name, moved.to, moved.from);
          }
          const text = JSON.stringify(s);
          if (text !== last) {
            last = text;
            sink.emit(s);
          }
          await sleep(1000, signal);
        }
      },
      'gateway.watch': async (_params, sink) => {
        const t = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, t.signal]);
        let last = '';
        while (!signal.aborted) {
          const info = await readGatewayInfo(t.kc, t.namespace, await image()).catch((e: unknown) => {
            if (signal.aborted) return null;
            throw e;
          });
          if (!info) break;
          const text = JSON.stringify(info);
          if (text !== last) {
            last = text;
            sink.emit(info);
          }
          await sleep(2000, signal);
        }
      },
    },
  };
}

function safeJson(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
