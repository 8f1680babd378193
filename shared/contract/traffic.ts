import { z } from 'zod';
import { call, stream } from './define';
import { FunctionName } from './functions';

/**
 * Traffic between a function's revisions: weights that sum to 100, tags (a named route to one
 * revision, addressed with the x-funcdeck-tag header), canary rollouts, and the namespace gateway
 * that carries them. See electron/engine/gateway/README.md for how it works in the cluster.
 */

const RevisionNumber = z.number({ error: 'Give a revision number.' }).int('Give a whole revision number.').min(1, 'Revisions start at 1.');

export const TagName = z
  .string({ error: 'Give the tag a name.' })
  .min(1, 'Give the tag a name.')
  .max(30, 'Use at most 30 characters for a tag.')
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'Use lowercase letters, digits and "-" only, starting with a letter (for example "test" or "v2-preview").');

export const TrafficWeight = z.object({
  revision: RevisionNumber,
  percent: z.number({ error: 'Give a whole percentage.' }).int('Give a whole percentage.').min(0, 'Use 0 to 100.').max(100, 'Use 0 to 100.'),
});
export type TrafficWeight = z.infer<typeof TrafficWeight>;

export const TrafficTag = z.object({ name: TagName, revision: RevisionNumber });
export type TrafficTag = z.infer<typeof TrafficTag>;

/** Weights and tags, checked together: the weights sum to 100, no revision or tag appears twice. */
export function checkTraffic(t: { weights: TrafficWeight[]; tags: TrafficTag[] }, ctx: z.RefinementCtx): void {
  const sum = t.weights.reduce((n, w) => n + w.percent, 0);
  if (sum !== 100) ctx.addIssue({ code: 'custom', path: ['weights'], message: `The weights add up to ${sum}%; make them add up to 100%.` });
  const seen = new Set<number>();
  t.weights.forEach((w, i) => {
    if (seen.has(w.revision)) ctx.addIssue({ code: 'custom', path: ['weights', i, 'revision'], message: `Revision ${w.revision} appears twice; give each revision one weight.` });
    seen.add(w.revision);
  });
  const names = new Set<string>();
  t.tags.forEach((tag, i) => {
    if (names.has(tag.name)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'name'], message: `The tag "${tag.name}" is used twice; each tag names one revision.` });
    names.add(tag.name);
  });
}

export const CanaryPlan = z
  .object({
    /** The new revision's share at each step, e.g. [10, 50, 100]; the last step is 100. */
    steps: z
      .array(z.number({ error: 'Give whole percentages.' }).int('Give whole percentages.').min(1, 'Each step is 1 to 100%.').max(100, 'Each step is 1 to 100%.'), {
        error: 'Give the steps as a list of percentages.',
      })
      .min(1, 'Give at least one step, e.g. [10, 50, 100].')
      .max(10, 'Use at most 10 steps.'),
    stepSeconds: z.number({ error: 'Give whole seconds.' }).int('Give whole seconds.').min(5, 'Use at least 5 seconds per step.').max(3600, 'Use at most 3600 seconds per step.').default(30),
    /** Share of the new revision's calls answered 5xx (or not at all) above which it is rolled back, 0..1. */
    maxErrorRate: z.number({ error: 'Give a share between 0 and 1.' }).min(0.01, 'Use at least 0.01 (1%).').max(1, 'Use at most 1 (100%).').default(0.2),
    /** The error rate is measured over the new revision's calls in this many seconds. */
    windowSeconds: z.number({ error: 'Give whole seconds.' }).int('Give whole seconds.').min(5, 'Use at least 5 seconds.').max(600, 'Use at most 600 seconds.').default(30),
    /** No verdict on fewer calls than this in the window. */
    minRequests: z.number({ error: 'Give a whole number.' }).int('Give a whole number.').min(1, 'Use at least 1.').max(10_000, 'Use at most 10000.').default(10),
  })
  .superRefine((p, ctx) => {
    p.steps.forEach((s, i) => {
      if (i > 0 && s <= p.steps[i - 1]!) ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'Each step must be larger than the one before.' });
    });
    if (p.steps.at(-1) !== 100) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'End the steps with 100, so the new revision takes all traffic at the end.' });
  });
export type CanaryPlan = z.output<typeof CanaryPlan>;

export const CanaryState = z.enum(['running', 'promoted', 'rolled-back', 'stopped']);
export type CanaryState = z.infer<typeof CanaryState>;

export const CanaryStatus = z.object({
  from: z.number().int(),
  to: z.number().int(),
  plan: CanaryPlan,
  state: CanaryState,
  /** Index into plan.steps of the current (or last) step. */
  step: z.number().int().min(0),
  /** The new revision's share right now. */
  percent: z.number().int().min(0).max(100),
  startedAt: z.string(),
  /** When the next step is due (ISO), while running. */
  nextStepAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Why it ended (rolled back: the error rate seen), in words. */
  reason: z.string().nullable(),
  /** The new revision's calls and errors in the current window, as the gateway last reported them. */
  window: z.object({ requests: z.number().int(), errors: z.number().int() }).nullable(),
});
export type CanaryStatus = z.infer<typeof CanaryStatus>;

export const TrafficState = z.object({
  name: z.string(),
  namespace: z.string(),
  /** direct: the function's Service points at one revision's pods; gateway: at the namespace gateway. */
  via: z.enum(['direct', 'gateway']),
  /** Why the gateway is in the path (a split, a tag, scale to zero, autoscaling, a canary); null when direct. */
  gatewayReason: z.string().nullable(),
  /** What callers get now, revision by revision (a running canary's current step included). */
  weights: z.array(TrafficWeight),
  tags: z.array(TrafficTag),
  canary: CanaryStatus.nullable(),
  /** How new revisions roll out: null moves all traffic to a new revision once it is ready. */
  rolloutPlan: CanaryPlan.nullable(),
});
export type TrafficState = z.infer<typeof TrafficState>;

export const GatewayPod = z.object({
  name: z.string(),
  ready: z.boolean(),
  version: z.string().nullable(),
  restarts: z.number().int(),
  /** Why it is not ready, when it is not. */
  reason: z.string().nullable(),
});

export const GatewayInfo = z.object({
  namespace: z.string(),
  /** absent: not installed (no function needs it yet). */
  state: z.enum(['absent', 'starting', 'ready', 'upgrading', 'failed']),
  /** The version running (its pods'), and the one this Funcdeck ships. */
  version: z.string().nullable(),
  wantedVersion: z.string(),
  pods: z.array(GatewayPod),
  /** The functions whose traffic it carries. */
  functions: z.array(z.string()),
  reason: z.string().nullable(),
});
export type GatewayInfo = z.infer<typeof GatewayInfo>;

/** The parts of a cold start, as the gateway measured them for the call that paid it. */
export const ColdStart = z.object({
  totalMs: z.number().min(0),
  /** new-pod: a pod of the revision was started; warm-pool: a generic warm pod was given the revision's code. */
  source: z.enum(['new-pod', 'warm-pool']),
  pod: z.string().nullable(),
  parts: z.object({
    /** Until the pod was placed on a node (includes creating the pod). */
    schedulingMs: z.number().min(0),
    /** Until the container was running. */
    containerStartMs: z.number().min(0),
    /** Until the runtime answered its readiness check. */
    runtimeReadyMs: z.number().min(0),
    /** From forwarding the call to the first byte of its answer. */
    firstByteMs: z.number().min(0),
  }),
});
export type ColdStart = z.infer<typeof ColdStart>;

const NameParam = z.object({ name: FunctionName });

export const TrafficSetParams = z
  .object({
    name: FunctionName,
    weights: z.array(TrafficWeight, { error: 'Give the weights as a list.' }).min(1, 'Give at least one weight.').max(20, 'Split over at most 20 revisions.'),
    tags: z.array(TrafficTag, { error: 'Give the tags as a list.' }).max(20, 'Use at most 20 tags.').default([]),
  })
  .superRefine(checkTraffic);
export type TrafficSetParams = z.output<typeof TrafficSetParams>;

export const trafficCalls = {
  'traffic.get': call(NameParam, TrafficState),
  /**
   * Sets the weights and tags. Revisions that get weight or a tag are started and must become ready
   * first (a failed one is refused, naming it). Returns once the change is in effect. Stops a running canary.
   */
  'traffic.set': call(TrafficSetParams, TrafficState),
  /** Starts a canary now: from the revision with the most traffic to `revision`, by `plan` (or the rollout plan, or 10 → 50 → 100 every 30 s). */
  'traffic.canary': call(NameParam.extend({ revision: RevisionNumber, plan: CanaryPlan.optional() }), TrafficState),
  /** How the next deploys roll out: a canary plan, or null to move all traffic once ready. */
  'traffic.rollout': call(NameParam.extend({ plan: CanaryPlan.nullable() }), TrafficState),
  /** The namespace gateway: state, version, pods. */
  'gateway.get': call(z.object({}), GatewayInfo),
  /** The gateway's last log lines (all its pods, oldest first). */
  'gateway.logs': call(z.object({ tailLines: z.number().int().min(1).max(2000).default(200) }), z.object({ lines: z.array(z.object({ pod: z.string(), text: z.string() })) })),
};

export const trafficStreams = {
  /** The function's traffic whenever it changes (a canary's steps included). */
  'traffic.watch': stream(NameParam, TrafficState),
  'gateway.watch': stream(z.object({}), GatewayInfo),
};
