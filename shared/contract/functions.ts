import { z } from 'zod';
import { call, stream } from './define';
import { RuntimeId } from './settings';
import { FunctionName, FunctionSpecShape, Language, SourceFile, type FunctionSpecInput } from './function-spec';

/**
 * Functions: the calls and streams that validate, build, deploy, list and delete them in the current
 * context and namespace, and what they answer (status, deploy progress). The spec itself is in
 * function-spec.ts, re-exported here.
 */

export * from './function-spec';

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
