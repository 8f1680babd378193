import { z } from 'zod';
import { parseQuantity, QUANTITY_HINT } from './quantity';
import { LABELS } from './runtime-protocol';
import { ImageRef } from './settings';

/**
 * The parts of a function's spec beyond its code: labels and annotations for its objects, values
 * taken from Secrets and ConfigMaps (as environment variables or mounted files), exact CPU and
 * memory, and its own runtime image. functions.ts puts them in the spec; the checks that need the
 * whole spec are in checkExtras.
 */

// ---- labels and annotations ----

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why a label or annotation key is not one Kubernetes takes, or null when it is. */
export function metadataKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `"${key}": the part before "/" must be a lowercase DNS name such as example.com.`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `"${key}": use at most 63 letters, digits, "-", "_" and "." (starting and ending with a letter or digit), optionally after a prefix such as example.com/.`;
  }
  return null;
}

/** Keys Funcdeck sets itself: its selectors and bookkeeping depend on them, so a spec may not set them. */
export function isFuncdeckKey(key: string): boolean {
  const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  return key === LABELS.managedBy || prefix === 'funcdeck.dev' || prefix.endsWith('.funcdeck.dev');
}

function metadataMap(what: 'label' | 'annotation') {
  return z.record(z.string(), z.string({ error: `Each ${what} value must be text.` })).superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length > 64) ctx.addIssue({ code: 'custom', message: `Use at most 64 ${what}s.` });
    let bytes = 0;
    for (const key of keys) {
      const value = map[key]!;
      bytes += key.length + value.length;
      const problem = metadataKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      else if (isFuncdeckKey(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" is Funcdeck's own ${what}: it marks and selects the function's objects, so it cannot be set here. Pick a key outside funcdeck.dev/ and ${LABELS.managedBy}.`,
        });
      }
      if (what === 'label' && (value.length > 63 || !LABEL_VALUE.test(value))) {
        ctx.addIssue({ code: 'custom', path: [key], message: `The value of "${key}" must be empty or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit.` });
      }
    }
    if (bytes > 128 * 1024) ctx.addIssue({ code: 'custom', message: `Keep ${what}s under 128 KB in total.` });
  });
}

export const Labels = metadataMap('label');
export const Annotations = metadataMap('annotation');

// ---- Secrets and ConfigMaps ----

export const ObjectName = z
  .string({ error: 'Give the name of the Secret or ConfigMap.' })
  .min(1, 'Give the name of the Secret or ConfigMap.')
  .max(253, 'Use at most 253 characters.')
  .regex(DNS_SUBDOMAIN, 'Use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (for example "db-credentials").');

export const DataKey = z
  .string({ error: 'Give a key.' })
  .min(1, 'Give a key.')
  .max(253, 'Use a key of at most 253 characters.')
  .regex(/^[-._a-zA-Z0-9]+$/, 'Use letters, digits, "-", "_" and "." only (for example "password" or "config.json").');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isReservedEnv = (n: string) => n.toUpperCase().startsWith('FUNCDECK_');

export const RefSource = z.enum(['secret', 'configMap']);
export type RefSource = z.infer<typeof RefSource>;

/**
 * Environment variables from a Secret or ConfigMap: every key as a variable of its name (with an
 * optional prefix), or one key as the variable `as`. The spec holds only the reference, never a value.
 */
export const EnvSource = z
  .object({
    from: RefSource,
    name: ObjectName,
    /** One key of it; without, every key becomes a variable. */
    key: DataKey.optional(),
    /** The variable one key becomes (defaults to the key itself). */
    as: z.string().max(128, 'Use a variable name of at most 128 characters.').optional(),
    /** Put before each key's name when every key becomes a variable. */
    prefix: z.string().max(64, 'Use a prefix of at most 64 characters.').optional(),
    /** Start even when the object or key is missing (the variable is then unset). */
    optional: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.key === undefined) {
      if (s.as !== undefined) ctx.addIssue({ code: 'custom', path: ['as'], message: '"as" names the variable for one key; give "key" too, or remove "as".' });
      if (s.prefix && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.prefix)) ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'Use letters, digits and "_" for the prefix, not starting with a digit.' });
      if (s.prefix && isReservedEnv(s.prefix)) ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'Names starting with FUNCDECK_ are reserved for the runtime; pick another prefix.' });
      return;
    }
    if (s.prefix !== undefined) ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'A prefix applies when every key becomes a variable; with one "key", name it with "as".' });
    const variable = s.as ?? s.key;
    if (!ENV_NAME.test(variable)) {
      ctx.addIssue({ code: 'custom', path: [s.as === undefined ? 'key' : 'as'], message: `"${variable}" is not a variable name: give "as" with letters, digits and "_" only, not starting with a digit.` });
    } else if (isReservedEnv(variable)) {
      ctx.addIssue({ code: 'custom', path: [s.as === undefined ? 'key' : 'as'], message: 'Names starting with FUNCDECK_ are reserved for the runtime; pick another name with "as".' });
    }
  });
export type EnvSource = z.infer<typeof EnvSource>;

/** The variable name an EnvSource of one key sets (null for a whole object). */
export const envSourceVariable = (s: EnvSource): string | null => (s.key === undefined ? null : (s.as ?? s.key));

/** Places a function may not mount over: the system's own folders and Funcdeck's runtime. */
const PROTECTED_PATHS = ['/', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/etc', '/dev', '/proc', '/sys', '/var', '/tmp', '/root', '/home'];

/** A Secret or ConfigMap mounted read-only as a folder: each key is a file in it. */
export const FileMount = z.object({
  from: RefSource,
  name: ObjectName,
  path: z
    .string({ error: 'Give the folder to mount at, e.g. /etc/secrets/db.' })
    .max(200, 'Use a path of at most 200 characters.')
    .superRefine((p, ctx) => {
      const problem = mountPathProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  optional: z.boolean().optional(),
});
export type FileMount = z.infer<typeof FileMount>;

export function mountPathProblem(p: string): string | null {
  if (!/^\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(p) || /(^|\/)\.\.?(\/|$)/.test(p)) {
    return 'Give an absolute folder of letters, digits, ".", "_" and "-" (no ".." parts, no trailing "/"), e.g. /etc/secrets/db.';
  }
  if (p === '/funcdeck' || p.startsWith('/funcdeck/')) return 'Funcdeck runs the function from /funcdeck; mount somewhere else, e.g. /etc/secrets/db.';
  if (PROTECTED_PATHS.includes(p)) return `Mounting over ${p} would hide the image's own files; use a folder inside it, e.g. ${p === '/' ? '' : p}/my-config.`;
  return null;
}

// ---- exact resources ----

const quantity = (kind: 'cpu' | 'memory') =>
  z
    .string({ error: QUANTITY_HINT[kind] })
    .trim()
    .refine((q) => {
      const v = parseQuantity(q);
      return v !== null && v > 0;
    }, QUANTITY_HINT[kind])
    .optional();

const ResourceValues = z.object({ cpu: quantity('cpu'), memory: quantity('memory') });

/**
 * Exact CPU and memory. Each value given wins over the size preset's; one left out comes from the
 * preset, adjusted so a request never exceeds its limit (see effectiveResources).
 */
export const ExactResources = z.object({ requests: ResourceValues.optional(), limits: ResourceValues.optional() });
export type ExactResources = z.infer<typeof ExactResources>;

export interface ResourceValuesSet {
  cpu: string;
  memory: string;
}

/**
 * What the function's container gets: a limit given wins, else the preset's limit raised to a given
 * request; a request given wins, else the preset's request lowered to the limit. So `--memory 128Mi`
 * from kubeless (request and limit both 128Mi) is exactly that.
 */
export function effectiveResources(
  preset: { requests: ResourceValuesSet; limits: ResourceValuesSet },
  exact: ExactResources | undefined,
): { requests: ResourceValuesSet; limits: ResourceValuesSet } {
  const pick = (kind: 'cpu' | 'memory') => {
    const req = exact?.requests?.[kind];
    const lim = exact?.limits?.[kind];
    const bigger = (a: string, b: string) => ((parseQuantity(a) ?? 0) >= (parseQuantity(b) ?? 0) ? a : b);
    const smaller = (a: string, b: string) => ((parseQuantity(a) ?? 0) <= (parseQuantity(b) ?? 0) ? a : b);
    const limit = lim ?? (req ? bigger(preset.limits[kind], req) : preset.limits[kind]);
    const request = req ?? smaller(preset.requests[kind], limit);
    return { request, limit };
  };
  const cpu = pick('cpu');
  const memory = pick('memory');
  return { requests: { cpu: cpu.request, memory: memory.request }, limits: { cpu: cpu.limit, memory: memory.limit } };
}

// ---- the function's own image ----

/** The function's own image: a reference as Kubernetes takes it (the same check as the runtime images in settings). */
export const FunctionImage = ImageRef;

/** What a custom image must carry, per runtime (shown beside the field and in the README). */
export const IMAGE_NEEDS = {
  nodejs: 'Node.js 18 or newer as "node" on the PATH, and "sh" and "npm" too when the function has dependencies.',
  python: 'Python 3.8 or newer as "python3" on the PATH, and "sh" and pip ("python3 -m pip") too when the function has dependencies.',
} as const;

// ---- checks across fields ----

interface ExtrasSpec {
  env: Array<{ name: string }>;
  envFrom?: EnvSource[] | undefined;
  mounts?: FileMount[] | undefined;
  resources?: ExactResources | undefined;
}

export function checkExtras(spec: ExtrasSpec, ctx: z.RefinementCtx): void {
  const names = new Map(spec.env.map((v, i) => [v.name, `env.${i}`]));
  (spec.envFrom ?? []).forEach((s, i) => {
    const variable = envSourceVariable(s);
    if (variable === null) return;
    const other = names.get(variable);
    if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['envFrom', i, s.as === undefined ? 'key' : 'as'], message: `${variable} is set twice (also at ${other}); keep one.` });
    names.set(variable, `envFrom.${i}`);
  });
  const paths = new Set<string>();
  (spec.mounts ?? []).forEach((m, i) => {
    if (paths.has(m.path)) ctx.addIssue({ code: 'custom', path: ['mounts', i, 'path'], message: `${m.path} is mounted twice; give each mount its own folder.` });
    paths.add(m.path);
  });
  for (const kind of ['cpu', 'memory'] as const) {
    const req = spec.resources?.requests?.[kind];
    const lim = spec.resources?.limits?.[kind];
    if (!req || !lim) continue;
    const r = parseQuantity(req);
    const l = parseQuantity(lim);
    if (r !== null && l !== null && r > l) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'limits', kind], message: `The ${kind} limit ${lim} is below its request ${req}; a limit must be at least the request.` });
    }
  }
}
