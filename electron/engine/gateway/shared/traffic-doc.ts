/**
 * The routing state of one function as the engine writes it and the gateway reads it: a JSON
 * annotation on the function's own Service (funcdeck.dev/traffic). Plain TypeScript with no
 * dependencies: it is bundled into the gateway too. The gateway never trusts it blindly: whatever
 * does not parse is ignored, and the function keeps the routes it had.
 */

export const GATEWAY_ANNOTATIONS = {
  /** On a function's Service: its TrafficDoc. */
  traffic: 'funcdeck.dev/traffic',
  /** On a function's Service: the canary plan new deploys follow (CanaryPlanDoc JSON). */
  rollout: 'funcdeck.dev/rollout',
  /** On a revision Deployment: its ScaleDoc. */
  scale: 'funcdeck.dev/scale',
  /** On the gateway's Deployment and pods: the program's version. */
  version: 'funcdeck.dev/gateway-version',
  /** On a function's Service: how its last canary ended (the contract's CanaryStatus as JSON), kept once it is settled. */
  lastCanary: 'funcdeck.dev/last-canary',
} as const;

export interface Weight {
  revision: number;
  percent: number;
}
export interface Tag {
  name: string;
  revision: number;
}
export interface CanaryPlanDoc {
  steps: number[];
  stepSeconds: number;
  maxErrorRate: number;
  windowSeconds: number;
  minRequests: number;
}
export interface CanaryDoc extends CanaryPlanDoc {
  /** Distinguishes one canary from the next (the gateway's progress is kept per id). */
  id: string;
  from: number;
  to: number;
  /** ISO time the canary started. */
  startedAt: string;
}

export interface TrafficDoc {
  v: 1;
  /** Where the Service sends callers: straight to a revision's pods, or to the gateway. */
  via: 'gateway' | 'direct';
  /** The gateway port this function is served on (the Service's targetPort when via gateway). */
  port: number;
  weights: Weight[];
  tags: Tag[];
  canary: CanaryDoc | null;
}

/** A revision's scale settings (its spec's `scale`), on its Deployment. */
export interface ScaleDoc {
  min: number;
  max: number;
  target: number;
  graceSeconds: number;
}

/** Ports the gateway serves functions on: one per function, chosen by the engine (ports.ts). */
export const GATEWAY_PORT_RANGE = { first: 20_000, count: 20_000 } as const;

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string | undefined | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function weightsOf(v: unknown): Weight[] | null {
  if (!Array.isArray(v)) return null;
  const out: Weight[] = [];
  for (const w of v) {
    if (!isObj(w) || !isInt(w.revision, 1, 1e9) || !isInt(w.percent, 0, 100)) return null;
    out.push({ revision: w.revision, percent: w.percent });
  }
  const sum = out.reduce((n, w) => n + w.percent, 0);
  return out.length && sum === 100 ? out : null;
}

function tagsOf(v: unknown): Tag[] | null {
  if (!Array.isArray(v)) return null;
  const out: Tag[] = [];
  for (const t of v) {
    if (!isObj(t) || typeof t.name !== 'string' || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(t.name) || !isInt(t.revision, 1, 1e9)) return null;
    out.push({ name: t.name, revision: t.revision });
  }
  return out;
}

export function parseCanaryPlan(v: unknown): CanaryPlanDoc | null {
  if (!isObj(v) || !Array.isArray(v.steps) || !v.steps.length || !v.steps.every((s) => isInt(s, 1, 100))) return null;
  const steps = v.steps as number[];
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!) || steps.at(-1) !== 100) return null;
  if (!isInt(v.stepSeconds, 1, 86_400) || !isInt(v.windowSeconds, 1, 86_400) || !isInt(v.minRequests, 1, 1e9)) return null;
  if (typeof v.maxErrorRate !== 'number' || !(v.maxErrorRate > 0 && v.maxErrorRate <= 1)) return null;
  return { steps, stepSeconds: v.stepSeconds, maxErrorRate: v.maxErrorRate, windowSeconds: v.windowSeconds, minRequests: v.minRequests };
}

function canaryOf(v: unknown): CanaryDoc | null | undefined {
  if (v === null || v === undefined) return null;
  const plan = parseCanaryPlan(v);
  if (!plan || !isObj(v) || typeof v.id !== 'string' || !v.id || !isInt(v.from, 1, 1e9) || !isInt(v.to, 1, 1e9) || v.from === v.to) return undefined;
  if (typeof v.startedAt !== 'string' || Number.isNaN(Date.parse(v.startedAt))) return undefined;
  return { ...plan, id: v.id, from: v.from, to: v.to, startedAt: v.startedAt };
}

/** The TrafficDoc in an annotation's text, or null when there is none or it does not make sense. */
export function parseTrafficDoc(text: string | undefined | null): TrafficDoc | null {
  const v = parseJson(text);
  if (!isObj(v) || v.v !== 1 || (v.via !== 'gateway' && v.via !== 'direct')) return null;
  if (!isInt(v.port, GATEWAY_PORT_RANGE.first, GATEWAY_PORT_RANGE.first + GATEWAY_PORT_RANGE.count - 1)) return null;
  const weights = weightsOf(v.weights);
  const tags = tagsOf(v.tags ?? []);
  const canary = canaryOf(v.canary);
  if (!weights || !tags || canary === undefined) return null;
  return { v: 1, via: v.via, port: v.port, weights, tags, canary };
}

/** The annotation text for a doc: keys in a fixed order, so equal docs have equal text (and hash). */
export function serializeTrafficDoc(d: TrafficDoc): string {
  const canary = d.canary
    ? {
        id: d.canary.id,
        from: d.canary.from,
        to: d.canary.to,
        steps: d.canary.steps,
        stepSeconds: d.canary.stepSeconds,
        maxErrorRate: d.canary.maxErrorRate,
        windowSeconds: d.canary.windowSeconds,
        minRequests: d.canary.minRequests,
        startedAt: d.canary.startedAt,
      }
    : null;
  return JSON.stringify({
    v: 1,
    via: d.via,
    port: d.port,
    weights: d.weights.map((w) => ({ revision: w.revision, percent: w.percent })),
    tags: d.tags.map((t) => ({ name: t.name, revision: t.revision })),
    canary,
  });
}

export function serializeCanaryPlan(p: CanaryPlanDoc): string {
  return JSON.stringify({ steps: p.steps, stepSeconds: p.stepSeconds, maxErrorRate: p.maxErrorRate, windowSeconds: p.windowSeconds, minRequests: p.minRequests });
}

/** A short, stable fingerprint of an annotation's text (FNV-1a, 32 bit), reported back by the gateway. */
export function docHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A revision's scale settings from its Deployment's annotation; without one, a fixed count. */
export function parseScaleDoc(text: string | undefined | null, replicasFallback: number): ScaleDoc {
  const v = parseJson(text);
  if (isObj(v) && isInt(v.min, 0, 1000) && isInt(v.max, 1, 1000) && v.min <= v.max && isInt(v.target, 1, 100_000) && isInt(v.graceSeconds, 0, 86_400)) {
    return { min: v.min, max: v.max, target: v.target, graceSeconds: v.graceSeconds };
  }
  const n = Math.max(1, replicasFallback);
  return { min: n, max: n, target: 10, graceSeconds: 60 };
}

export function serializeScaleDoc(s: ScaleDoc): string {
  return JSON.stringify({ min: s.min, max: s.max, target: s.target, graceSeconds: s.graceSeconds });
}

/** Every revision the doc routes to (by weight above 0, by tag, or as either side of a canary). */
export function routedRevisions(d: Pick<TrafficDoc, 'weights' | 'tags' | 'canary'>): Set<number> {
  const out = new Set<number>();
  for (const w of d.weights) if (w.percent > 0) out.add(w.revision);
  for (const t of d.tags) out.add(t.revision);
  if (d.canary) {
    out.add(d.canary.from);
    out.add(d.canary.to);
  }
  return out;
}
