import { z } from 'zod';
import { call, stream } from './define';
import { RuntimeId } from './settings';
import { Annotations, checkExtras, EnvSource, ExactResources, FileMount, FunctionImage, Labels } from './function-extras';
import { describeSpot, headerValueProblem, unstorableInEnvValue, unstorableInText } from './text';

/**
 * Functions: the spec a person edits, and the calls and streams that validate, build, deploy,
 * list and delete them in the current context and namespace.
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
    /** 0 means scale to zero when idle (needs the namespace router; not available yet). */
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

/**
 * Calls that take a spec accept anything at the boundary, so a wrong spec comes back as per-field
 * issues (functions.validate) or INVALID_SPEC with those issues in details (functions.deploy),
 * rather than a generic BAD_REQUEST.
 */
const SpecParam = z.custom<FunctionSpecInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'The spec must be an object.');

// ---- validation and build results ----

export const SpecIssue = z.object({
  /** Dotted path of the field, e.g. "name", "env.2.name", "files.0.path"; "" for the whole spec. */
  path: z.string(),
  message: z.string(),
});
export type SpecIssue = z.infer<typeof SpecIssue>;

/** A located compile/syntax problem, ready for an editor marker. Lines and columns are 1-based. */
export const BuildDiagnostic = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1).optional(),
  endColumn: z.number().int().min(1).optional(),
  message: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  source: z.enum(['typescript', 'javascript', 'python', 'manifest']).optional(),
});
export type BuildDiagnostic = z.infer<typeof BuildDiagnostic>;

export const ValidationResult = z.object({
  /** True when the spec is valid and the sources build without errors. */
  ok: z.boolean(),
  issues: z.array(SpecIssue),
  diagnostics: z.array(BuildDiagnostic),
  /** Things worth knowing that do not block a deploy (e.g. Python syntax not checked locally). */
  warnings: z.array(z.string()),
  /** The revision checksum this spec would get; null when invalid. */
  checksum: z.string().nullable(),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

// ---- status ----

export const FunctionStatus = z.enum(['Ready', 'Building', 'Deploying', 'Failed', 'ScaledToZero', 'Unknown']);
export type FunctionStatus = z.infer<typeof FunctionStatus>;

/** One revision's share of the function's traffic. */
export const TrafficShare = z.object({ revision: z.number().int().min(1), percent: z.number().min(0).max(100) });
export type TrafficShare = z.infer<typeof TrafficShare>;

/** A change of serving revision under way: a deploy rolling a newer one out, or a rollback waking an older one. */
export const ServingTransition = z.object({ kind: z.enum(['deploy', 'rollback']), revision: z.number().int().min(1) });
export type ServingTransition = z.infer<typeof ServingTransition>;

/**
 * What a function is and serves, derived once in the engine from the cluster (and what the engine
 * itself saw first, e.g. a pod answering /readyz before the kubelet's probe). Every view reads this.
 */
export const FunctionSummary = z.object({
  name: z.string(),
  runtime: RuntimeId,
  language: Language,
  status: FunctionStatus,
  /** Why it is not Ready, in words a person can act on; null when Ready. */
  reason: z.string().nullable(),
  /** Pods of the serving revision(s). */
  replicas: z.object({ ready: z.number().int(), desired: z.number().int() }),
  latestRevision: z.number().int().nullable(),
  /** The revision with the largest share of traffic (the only one, until traffic splits). */
  servingRevision: z.number().int().nullable(),
  /** Every revision that gets traffic, largest share first; the percents add up to 100 (empty when none serves). */
  traffic: z.array(TrafficShare),
  /** After a rollback: the newest revision traffic was moved away from (a deploy would undo the rollback); else null. */
  rolledBackFrom: z.number().int().nullable(),
  /** A deploy or rollback moving traffic to another revision right now; else null. */
  transition: ServingTransition.nullable(),
  /** Revisions that failed (now, or when last started) and why, newest first. */
  failedRevisions: z.array(z.object({ revision: z.number().int(), reason: z.string() })),
  /** The serving state in one line, the same words in every view, e.g. "Revision 2 serving (rolled back from 3)". */
  headline: z.string(),
  /** ISO time of the latest revision. */
  updated: z.string().nullable(),
  cron: z.object({ schedule: z.string(), lastRun: z.string().nullable() }).nullable(),
});
export type FunctionSummary = z.infer<typeof FunctionSummary>;

export const FunctionDetails = z.object({
  namespace: z.string(),
  /** The spec of the serving revision (or the latest, when none serves yet). */
  spec: FunctionSpecShape,
  summary: FunctionSummary,
  /** Crashed pod's last log lines when Failed, else empty. */
  lastLogLines: z.array(z.string()),
});
export type FunctionDetails = z.infer<typeof FunctionDetails>;

// ---- templates and runtimes ----

export const FunctionTemplate = z.object({
  id: z.string(),
  runtime: RuntimeId,
  language: Language,
  title: z.string(),
  description: z.string(),
  handler: z.string(),
  files: z.array(SourceFile),
  dependencies: z.string(),
});
export type FunctionTemplate = z.infer<typeof FunctionTemplate>;

export const RuntimeInfo = z.object({
  id: RuntimeId,
  label: z.string(),
  languages: z.array(z.object({ id: Language, label: z.string(), extension: z.string(), monacoLanguage: z.string() })),
  /** The image it runs on, from settings. */
  image: z.string(),
  /** 'package.json' or 'requirements.txt'. */
  dependencyFile: z.string(),
  defaultHandler: z.string(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

// ---- deploy progress ----

export const DeployStepId = z.enum(['validate', 'build', 'apply', 'rollout', 'ready']);
export type DeployStepId = z.infer<typeof DeployStepId>;

export const DeployStep = z.object({
  id: DeployStepId,
  label: z.string(),
  state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  /** Time the step took (or has taken so far), null before it starts. */
  ms: z.number().nullable(),
  detail: z.string().nullable(),
});
export type DeployStep = z.infer<typeof DeployStep>;

export const DeployResult = z.object({
  deployId: z.string(),
  name: z.string(),
  revision: z.number().int(),
  /** False when the spec matched the latest revision, so nothing new was made. */
  created: z.boolean(),
  checksum: z.string(),
  /** Only with wait: true, whether the revision reached Ready. */
  ready: z.boolean().optional(),
  /**
   * The dependency lockfile the install wrote (package-lock.json, requirements.lock), when it is new
   * or differs from the one among the files deployed: the revision runs exactly it; add it to the files.
   */
  lockfile: SourceFile.optional(),
});
export type DeployResult = z.infer<typeof DeployResult>;

/**
 * One deploy's state. The first event a subscriber gets carries everything so far (all log lines);
 * later ones carry only the new log lines. The stream ends after the event with final: true.
 */
export const DeployProgress = z.object({
  deployId: z.string(),
  name: z.string(),
  revision: z.number().int().nullable(),
  phase: z.enum(['running', 'ready', 'failed']),
  steps: z.array(DeployStep),
  /** Build (dependency install) log lines new since the previous event for this subscriber. */
  buildLog: z.array(z.string()),
  reason: z.string().nullable(),
  /** Last log lines of a crashed pod, when that is why it failed. */
  lastLogLines: z.array(z.string()),
  diagnostics: z.array(BuildDiagnostic),
  final: z.boolean(),
});
export type DeployProgress = z.infer<typeof DeployProgress>;

export const FunctionsSnapshot = z.object({
  context: z.string(),
  namespace: z.string(),
  functions: z.array(FunctionSummary),
});
export type FunctionsSnapshot = z.infer<typeof FunctionsSnapshot>;

const NameParam = z.object({ name: FunctionName });

export const functionsCalls = {
  'functions.list': call(z.object({}), z.array(FunctionSummary)),
  'functions.get': call(NameParam, FunctionDetails),
  'functions.validate': call(z.object({ spec: SpecParam }), ValidationResult),
  /**
   * Validates, builds and applies a revision. Returns once it is applied (or, with wait: true, once it
   * is Ready; then a failed rollout rejects with DEPLOY_FAILED). Build errors reject with BUILD_FAILED
   * and { diagnostics } in details; spec errors with INVALID_SPEC and { issues }. Pass your own
   * deployId to subscribe to deploy.progress before calling.
   */
  'functions.deploy': call(
    z.object({ spec: SpecParam, deployId: z.string().min(1).max(64).optional(), wait: z.boolean().default(false) }),
    DeployResult,
  ),
  'functions.delete': call(NameParam, z.object({ deleted: z.array(z.string()) })),
  'functions.templates': call(z.object({ runtime: RuntimeId.optional() }), z.array(FunctionTemplate)),
  'functions.runtimes': call(z.object({}), z.array(RuntimeInfo)),
};

export const functionsStreams = {
  /** The functions of the current namespace; a full list per event, at most a few events a second. */
  'functions.watch': stream(z.object({}), FunctionsSnapshot),
  'deploy.progress': stream(z.object({ deployId: z.string().min(1).max(64) }), DeployProgress),
};
