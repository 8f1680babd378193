import { z } from 'zod';
import { RuntimeId } from './settings';
import { Annotations, checkExtras, EnvSource, ExactResources, FileMount, FunctionImage, Labels } from './function-extras';
import { describeSpot, headerValueProblem, unstorableInEnvValue, unstorableInText } from './text';

/**
 * The function spec a person edits (and a revision snapshots): name, runtime, sources, dependencies,
 * environment, size, scale, cron and the extras of function-extras.ts, with every check that can be
 * made before anything reaches the cluster. The calls that take it are in functions.ts.
 */

/** Kept well under 63 so derived object names (`<name>-r<N>`, `<name>-cron`) stay valid labels. */
export const FUNCTION_NAME_MAX = 40;

export const FunctionName = z
  .string({ error: 'Give the function a name.' })
  .min(1, 'Give the function a name.')
  .max(FUNCTION_NAME_MAX, `Use at most ${FUNCTION_NAME_MAX} characters, so the names derived from it fit Kubernetes' limits.`)
  .regex(
    /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    'Use lowercase letters, digits and "-" only, starting with a letter and ending with a letter or digit (for example "hello-world").',
  );

export const Language = z.enum(['javascript', 'typescript', 'python']);
export type Language = z.infer<typeof Language>;

export const SizePreset = z.enum(['XS', 'S', 'M', 'L', 'XL']);
export type SizePreset = z.infer<typeof SizePreset>;

export interface ResourceSet {
  cpu: string;
  memory: string;
}
/** Requests and limits per size preset (Kyma-style profiles). Configurable later through settings. */
export const SIZE_PRESETS: Record<SizePreset, { requests: ResourceSet; limits: ResourceSet }> = {
  XS: { requests: { cpu: '25m', memory: '48Mi' }, limits: { cpu: '250m', memory: '96Mi' } },
  S: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
  M: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
  L: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '2', memory: '512Mi' } },
  XL: { requests: { cpu: '400m', memory: '512Mi' }, limits: { cpu: '4', memory: '1Gi' } },
};

export const DEFAULT_TIMEOUT_SECONDS = 180;
/** A revision's ConfigMap (sources + runtime server) must stay under Kubernetes' 1 MiB object limit. */
export const MAX_SOURCE_BYTES = 700 * 1024;

export const SourceFile = z.object({
  path: z
    .string({ error: 'Each file needs a path.' })
    .min(1, 'Each file needs a path.')
    .max(200, 'Use a file path of at most 200 characters.')
    .regex(
      /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
      'Use a relative path of letters, digits, ".", "_", "-" and "/" (no leading "/", no ".." parts), e.g. "handler.js" or "lib/util.js".',
    ),
  content: z.string({ error: 'File content must be text.' }).max(MAX_SOURCE_BYTES, 'This file is too large: keep sources under 700 KB in total.'),
});
export type SourceFile = z.infer<typeof SourceFile>;

export const EnvVar = z.object({
  name: z
    .string({ error: 'Each variable needs a name.' })
    .min(1, 'Each variable needs a name.')
    .max(128, 'Use a variable name of at most 128 characters.')
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and "_" only, not starting with a digit (for example API_URL).')
    .refine((n) => !n.toUpperCase().startsWith('FUNCDECK_'), 'Names starting with FUNCDECK_ are reserved for the runtime; pick another name.'),
  value: z.string({ error: 'The value must be text.' }).max(32 * 1024, 'Keep each value under 32 KB.'),
});
export type EnvVar = z.infer<typeof EnvVar>;

export const ScaleSettings = z
  .object({
    /** 0 means scale to zero when idle, through the namespace gateway (electron/engine/gateway). */
    min: z.number({ error: 'Give a whole number.' }).int('Give a whole number.').min(0, 'Use 0 or more.').max(20, 'Use at most 20.').default(1),
    max: z.number({ error: 'Give a whole number.' }).int('Give a whole number.').min(1, 'Use at least 1.').max(20, 'Use at most 20.').default(1),
    targetConcurrency: z
      .number({ error: 'Give a whole number.' })
      .int('Give a whole number.')
      .min(1, 'Use at least 1 request in flight per pod.')
      .max(1000, 'Use at most 1000.')
      .default(10),
    scaleToZeroGraceSeconds: z
      .number({ error: 'Give a whole number of seconds.' })
      .int('Give a whole number of seconds.')
      .min(0, 'Use 0 or more seconds.')
      .max(3600, 'Use at most 3600 seconds (one hour).')
      .default(60),
  })
  .refine((s) => s.min <= s.max, { message: 'Minimum replicas must not exceed the maximum.', path: ['min'] });
export type ScaleSettings = z.infer<typeof ScaleSettings>;

/** Five cron fields (minute hour day month weekday) or a macro such as @hourly. */
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;
export const CronSchedule = z
  .string({ error: 'Give a cron schedule.' })
  .trim()
  .min(1, 'Give a cron schedule, e.g. "*/5 * * * *" (every five minutes).')
  .max(100, 'Keep the schedule under 100 characters.')
  .refine((s) => {
    if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(s)) return true;
    const parts = s.split(/\s+/);
    return parts.length === 5 && parts.every((p) => CRON_FIELD.test(p));
  }, 'Use five cron fields "minute hour day-of-month month day-of-week" (e.g. "*/5 * * * *") or @hourly, @daily, @weekly, @monthly, @yearly.');

export const CronTrigger = z.object({
  schedule: CronSchedule,
  /** Sent as the request body to the function on each run. */
  payload: z.string({ error: 'The payload must be text.' }).max(64 * 1024, 'Keep the payload under 64 KB.').default(''),
  contentType: z
    .string()
    .min(1)
    .max(100)
    .default('application/json')
    .superRefine((v, ctx) => {
      const problem = headerValueProblem('content-type', v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** false keeps the trigger but stops its scheduled runs (the CronJob is suspended); "Run now" still works. Absent: enabled. */
  enabled: z.boolean().optional(),
});
export type CronTrigger = z.infer<typeof CronTrigger>;

const HANDLER_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\.[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The base shape, without cross-field checks (so it can be picked/extended). */
export const FunctionSpecShape = z.object({
  name: FunctionName,
  runtime: RuntimeId,
  /** nodejs: javascript (default) or typescript; python: python (default). */
  language: Language.optional(),
  handler: z
    .string({ error: 'Give the handler as file.function, e.g. handler.main.' })
    .min(3, 'Give the handler as file.function, e.g. handler.main.')
    .max(200, 'Keep the handler under 200 characters.')
    .regex(HANDLER_RE, 'Give the handler as file.function without the extension, e.g. "handler.main" for function main in handler.js.'),
  files: z
    .array(SourceFile, { error: 'Give the source files as a list.' })
    .min(1, 'Add at least one source file.')
    .max(50, 'Use at most 50 files.'),
  /** package.json (nodejs) or requirements.txt (python) text; empty for none. */
  dependencies: z.string().max(64 * 1024, 'Keep the dependency manifest under 64 KB.').default(''),
  env: z.array(EnvVar).max(100, 'Use at most 100 variables.').default([]),
  size: SizePreset.default('S'),
  timeoutSeconds: z
    .number({ error: 'Give a whole number of seconds.' })
    .int('Give a whole number of seconds.')
    .min(1, 'Use at least 1 second.')
    .max(900, 'Use at most 900 seconds (15 minutes).')
    .default(DEFAULT_TIMEOUT_SECONDS),
  scale: ScaleSettings.default({ min: 1, max: 1, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 }),
  cron: CronTrigger.nullable().optional(),
  // The whole spec beyond code (function-extras.ts): metadata, Secret/ConfigMap references, exact resources, image.
  /** Added to every object of the function; Funcdeck's own keys are refused. */
  labels: Labels.optional(),
  annotations: Annotations.optional(),
  /** Environment variables from Secrets and ConfigMaps (references only, never values). */
  envFrom: z.array(EnvSource).max(50, 'Use at most 50 sources.').optional(),
  /** Secrets and ConfigMaps mounted read-only as folders of files. */
  mounts: z.array(FileMount).max(20, 'Use at most 20 mounts.').optional(),
  /** Exact CPU and memory; each value given wins over the size preset's. */
  resources: ExactResources.optional(),
  /** A custom image that carries the runtime (IMAGE_NEEDS); without it, the runtime's image from settings. */
  image: FunctionImage.optional(),
});

/** The extension a handler file has for a language. */
export const LANGUAGE_EXTENSION: Record<Language, string> = { javascript: '.js', typescript: '.ts', python: '.py' };

/** The path a source file is deployed as: TypeScript compiles to .js beside it; everything else as written. */
export function deployedPath(path: string): string {
  return /\.(m|c)?ts$/.test(path) && !path.endsWith('.d.ts') ? path.replace(/\.(m|c)?ts$/, '.js') : path;
}

export function languageOf(spec: { runtime: RuntimeId; language?: Language | undefined }): Language {
  return spec.language ?? (spec.runtime === 'python' ? 'python' : 'javascript');
}

export const FunctionSpec = FunctionSpecShape.superRefine((spec, ctx) => {
  const lang = languageOf(spec);
  if (spec.runtime === 'python' && lang !== 'python') {
    ctx.addIssue({ code: 'custom', path: ['language'], message: 'The python runtime runs Python handlers only; choose language "python".' });
  }
  if (spec.runtime === 'nodejs' && lang === 'python') {
    ctx.addIssue({ code: 'custom', path: ['language'], message: 'The nodejs runtime runs JavaScript or TypeScript; choose one of those.' });
  }
  const seen = new Set<string>();
  spec.files.forEach((f, i) => {
    if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: `"${f.path}" appears twice; file paths must be unique.` });
    seen.add(f.path);
  });
  checkStorableText(spec, ctx);
  if (spec.runtime === 'nodejs') checkDeployedPaths(spec, ctx);
  const utf8 = new TextEncoder();
  const total = spec.files.reduce((n, f) => n + utf8.encode(f.content).length, 0);
  if (total > MAX_SOURCE_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['files'], message: `Sources add up to ${Math.round(total / 1024)} KB; keep them under 700 KB in total (put data elsewhere).` });
  }
  const dot = spec.handler.lastIndexOf('.');
  if (dot > 0) {
    const file = spec.handler.slice(0, dot) + LANGUAGE_EXTENSION[lang];
    if (!spec.files.some((f) => f.path === file)) {
      ctx.addIssue({ code: 'custom', path: ['handler'], message: `The handler points at ${file}, which is not among the files; add it or change the handler.` });
    }
  }
  const names = new Set<string>();
  spec.env.forEach((v, i) => {
    if (names.has(v.name)) ctx.addIssue({ code: 'custom', path: ['env', i, 'name'], message: `${v.name} is set twice; keep one.` });
    names.add(v.name);
  });
  checkExtras(spec, ctx);
});
export type FunctionSpec = z.output<typeof FunctionSpec>;

type SpecShape = z.output<typeof FunctionSpecShape>;

/** Text that cannot reach the cluster unchanged is refused here, naming where it is (see text.ts). */
function checkStorableText(spec: SpecShape, ctx: z.RefinementCtx): void {
  const refuse = (path: Array<string | number>, where: string, spot: ReturnType<typeof unstorableInText>, why: string) => {
    if (spot) ctx.addIssue({ code: 'custom', path, message: `${where} ${describeSpot(spot)} ${why}; remove it.` });
  };
  const stored = 'cannot be stored';
  spec.files.forEach((f, i) => refuse(['files', i, 'content'], f.path, unstorableInText(f.content), stored));
  const manifest = spec.runtime === 'python' ? 'requirements.txt' : 'package.json';
  refuse(['dependencies'], manifest, unstorableInText(spec.dependencies), stored);
  // Environment values (the cron payload is one, in the caller's pod) reach the process through execve.
  const envRefuse = (path: Array<string | number>, where: string, value: string) => {
    const spot = unstorableInEnvValue(value);
    refuse(path, where, spot, spot?.codePoint === 0 ? 'cannot be passed to a process in an environment variable' : stored);
  };
  spec.env.forEach((v, i) => envRefuse(['env', i, 'value'], v.name, v.value));
  if (spec.cron) envRefuse(['cron', 'payload'], 'The cron payload,', spec.cron.payload);
}

/**
 * TypeScript compiles to .js beside its source, so "handler.ts" and "handler.js" would both become
 * handler.js: which one runs would be an accident. Refuse, naming both.
 */
function checkDeployedPaths(spec: SpecShape, ctx: z.RefinementCtx): void {
  const byTarget = new Map<string, string>();
  const dot = spec.handler.lastIndexOf('.');
  const handlerFile = dot > 0 ? `${spec.handler.slice(0, dot)}.js` : null;
  for (const f of spec.files) {
    const target = deployedPath(f.path);
    const other = byTarget.get(target);
    if (other === undefined) {
      byTarget.set(target, f.path);
      continue;
    }
    const [a, b] = [other, f.path].sort();
    const why = target === handlerFile ? `, so the handler "${spec.handler}" could mean either` : '';
    ctx.addIssue({ code: 'custom', path: ['files'], message: `${a} and ${b} would both be deployed as ${target}${why}; remove or rename one of them.` });
  }
}
export type FunctionSpecInput = z.input<typeof FunctionSpec>;
