import { z } from 'zod';
import { call, stream } from './define';
import { FunctionName, FunctionSpecShape, SourceFile } from './functions';

/**
 * Revisions: each deploy with a changed spec makes an immutable revision N (a ConfigMap and a
 * Deployment). The function's Service sends traffic to the serving revision.
 */

export const RevisionStatus = z.enum(['Ready', 'Building', 'Deploying', 'Failed', 'Idle']);
export type RevisionStatus = z.infer<typeof RevisionStatus>;

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
  /** Why it is not Ready, when it is not; null otherwise. */
  reason: z.string().nullable(),
});
export type RevisionInfo = z.infer<typeof RevisionInfo>;

export const RevisionsSnapshot = z.object({
  name: z.string(),
  namespace: z.string(),
  /** Newest first. */
  revisions: z.array(RevisionInfo),
});
export type RevisionsSnapshot = z.infer<typeof RevisionsSnapshot>;

export const RevisionSource = z.object({
  name: z.string(),
  revision: z.number().int(),
  checksum: z.string(),
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

const RevisionRef = z.object({ name: FunctionName, revision: z.number({ error: 'Give a revision number.' }).int().min(1, 'Revisions start at 1.') });

export const revisionsCalls = {
  'revisions.list': call(z.object({ name: FunctionName }), RevisionsSnapshot),
  /** Routes all traffic to one revision (it must exist). */
  'revisions.rollback': call(RevisionRef, z.object({ name: z.string(), serving: z.number().int() })),
  /** The files of one revision, e.g. to diff two of them. */
  'revisions.source': call(RevisionRef, RevisionSource),
};

export const revisionsStreams = {
  /** A full snapshot of the function's revisions whenever one changes (batched). */
  'revisions.watch': stream(z.object({ name: FunctionName }), RevisionsSnapshot),
};
