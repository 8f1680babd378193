import { z } from 'zod';
import { call, stream } from './define';
import { CronTrigger, EnvVar, FunctionName, FunctionSpecShape, FunctionSummary, Language, SizePreset, SourceFile, type FunctionSpecInput } from './functions';
import { Annotations, EnvSource, ExactResources, FileMount, Labels } from './function-extras';
import { RuntimeId } from './settings';

/**
 * Revisions: each deploy with a changed spec makes an immutable revision N (a ConfigMap and a
 * Deployment). The function's Service sends traffic to the serving revision.
 */

export const RevisionStatus = z.enum(['Ready', 'Building', 'Deploying', 'Failed', 'Idle']);
export type RevisionStatus = z.infer<typeof RevisionStatus>;

/** The image and settings a revision runs with (everything but its source files). */
export const RevisionSettings = z.object({
  image: z.string(),
  runtime: RuntimeId,
  language: Language,
  handler: z.string(),
  size: SizePreset,
  timeoutSeconds: z.number().int(),
  scale: z.object({ min: z.number().int(), max: z.number().int() }),
  env: z.array(EnvVar),
  /** The dependency manifest's text (package.json or requirements.txt); empty for none. */
  dependencies: z.string(),
  cron: CronTrigger.nullable(),
  // The whole spec's extras (function-extras.ts), when the revision has them.
  labels: Labels.optional(),
  annotations: Annotations.optional(),
  envFrom: z.array(EnvSource).optional(),
  mounts: z.array(FileMount).optional(),
  resources: ExactResources.optional(),
});
export type RevisionSettings = z.infer<typeof RevisionSettings>;

/** What changed from one revision to the next: files, lines, image and settings. */
export const RevisionChanges = z.object({
  /** The revision compared against (the next older one still kept). */
  from: z.number().int(),
  /** Paths of source files added, removed or changed (the dependency manifest counts as a file). */
  files: z.array(z.string()),
  linesAdded: z.number().int(),
  linesRemoved: z.number().int(),
  /** Names of the settings that differ, e.g. "image", "size", "timeout", "env", "scale". */
  settings: z.array(z.string()),
});
export type RevisionChanges = z.infer<typeof RevisionChanges>;

export const RevisionInfo = z.object({
  number: z.number().int().min(1),
  /** ISO time the revision was made. */
  created: z.string().nullable(),
  checksum: z.string(),
  image: z.string(),
  ready: z.number().int(),
  desired: z.number().int(),
  /** Percentage of the function's traffic this revision gets (0–100). */
  trafficPercent: z.number().min(0).max(100),
  serving: z.boolean(),
  status: RevisionStatus,
  /** Why it is not Ready, when it is not; null otherwise. For Failed, why it failed (also once scaled to zero). */
  reason: z.string().nullable(),
  /** When the engine recorded its failure (ISO time); null when it has none on record. */
  failedAt: z.string().nullable(),
  /** It served until a rollback moved traffic to an older revision. */
  rolledBackFrom: z.boolean(),
  /** Image and settings; null where not read (functions.list) or unreadable. */
  settings: RevisionSettings.nullable(),
  /** Changes from the next older revision; null for the oldest, or where not read. */
  changes: RevisionChanges.nullable(),
});
export type RevisionInfo = z.infer<typeof RevisionInfo>;

export const RevisionsSnapshot = z.object({
  name: z.string(),
  namespace: z.string(),
  /** The function as a whole (the same model functions.watch sends); null when it has no objects. */
  summary: FunctionSummary.nullable(),
  /** Newest first. */
  revisions: z.array(RevisionInfo),
});
export type RevisionsSnapshot = z.infer<typeof RevisionsSnapshot>;

export const RevisionSource = z.object({
  name: z.string(),
  revision: z.number().int(),
  checksum: z.string(),
  /** The runtime image the revision runs on. */
  image: z.string(),
  handler: z.string(),
  files: z.array(SourceFile),
  dependencies: z.string(),
  spec: FunctionSpecShape,
  /**
   * What the revision ships, installed on the developer's machine: the packages and versions (the
   * lockfile is among `files`). Null when it ships none (or predates this).
   */
  installed: z
    .object({
      digest: z.string(),
      bytes: z.number().int(),
      packages: z.array(z.object({ name: z.string(), version: z.string() })),
    })
    .nullable()
    .optional(),
});
export type RevisionSource = z.infer<typeof RevisionSource>;

/** How an editor's text relates to the function's revisions. */
export const TextRelation = z.enum(['serving', 'newer', 'older', 'draft']);
export type TextRelation = z.infer<typeof TextRelation>;

export const TextMatch = z.object({
  /** The checksum a deploy of this spec would get; null when the spec is not valid yet. */
  checksum: z.string().nullable(),
  /** The revision with exactly this spec and image, or null (a draft: deploying makes a new revision). */
  revision: z.number().int().nullable(),
  /** serving: it is what answers; newer/older: a revision newer/older than the serving one; draft: no revision. */
  relation: TextRelation,
  servingRevision: z.number().int().nullable(),
});
export type TextMatch = z.infer<typeof TextMatch>;

const RevisionRef = z.object({ name: FunctionName, revision: z.number({ error: 'Give a revision number.' }).int().min(1, 'Revisions start at 1.') });
const SpecParam = z.custom<FunctionSpecInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'The spec must be an object.');

export const revisionsCalls = {
  'revisions.list': call(z.object({ name: FunctionName }), RevisionsSnapshot),
  /** Routes all traffic to one revision (it must exist). */
  'revisions.rollback': call(RevisionRef, z.object({ name: z.string(), serving: z.number().int() })),
  /** The files of one revision, e.g. to diff two of them. */
  'revisions.source': call(RevisionRef, RevisionSource),
  /** Which revision (if any) an editor's spec is, and whether that one serves. Cheap: no build. */
  'revisions.match': call(z.object({ name: FunctionName, spec: SpecParam }), TextMatch),
};

export const revisionsStreams = {
  /** A full snapshot of the function's revisions whenever one changes (batched). */
  'revisions.watch': stream(z.object({ name: FunctionName }), RevisionsSnapshot),
};
