import { z } from 'zod';
import { call } from './define';
import { FunctionName, SpecIssue } from './functions';

/**
 * Bringing functions in from kubeless and taking them out as plain manifests or a Knative Service.
 * An import never deploys: each function comes back as a spec to open as a draft and review, with
 * everything that could not be carried listed.
 */

/** Something of the source that the result does not carry, and why. */
export const NotCarried = z.object({ what: z.string(), why: z.string() });
export type NotCarried = z.infer<typeof NotCarried>;

export const ImportedFunction = z.object({
  /** The kubeless Function as found. */
  source: z.object({ name: z.string(), namespace: z.string().nullable(), runtime: z.string() }),
  /** The spec for a new draft; null when the function cannot be carried at all (e.g. a Ruby runtime). */
  spec: z.record(z.string(), z.unknown()).nullable(),
  /** Carried, but worth a look (a different runtime version, a clamped timeout, a new name). */
  warnings: z.array(z.string()),
  notCarried: z.array(NotCarried),
  /** What the spec still needs before it deploys (the same checks functions.validate makes). */
  issues: z.array(SpecIssue),
});
export type ImportedFunction = z.infer<typeof ImportedFunction>;

export const ImportResult = z.object({
  functions: z.array(ImportedFunction),
  /** Documents that are no kubeless Function and belong to none imported (other kinds, triggers of absent functions). */
  notCarried: z.array(NotCarried),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Largest text accepted for an import (a kubeless Function lives in one etcd object, at most ~1.5 MB). */
export const MAX_IMPORT_TEXT = 8 * 1024 * 1024;

export const KubelessListing = z.object({
  namespace: z.string(),
  /** False when the cluster has no kubeless CRDs (or they cannot be read); `reason` says which. */
  available: z.boolean(),
  reason: z.string().nullable(),
  functions: z.array(z.object({ name: z.string(), runtime: z.string(), handler: z.string(), triggers: z.array(z.string()) })),
});
export type KubelessListing = z.infer<typeof KubelessListing>;

export const ExportFormat = z.enum(['manifests', 'knative']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportResult = z.object({
  format: ExportFormat,
  fileName: z.string(),
  /** Multi-document YAML, ready for `kubectl apply -f`. */
  text: z.string(),
  /** What to know before applying it elsewhere (Secrets it needs, Knative features it uses). */
  notes: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const interopCalls = {
  /** kubeless Functions (and their CronJobTriggers and other triggers) from YAML text, one or many documents. */
  'interop.import': call(z.object({ text: z.string().max(MAX_IMPORT_TEXT, 'The text is too large to be kubeless objects (8 MB at most).') }), ImportResult),
  /** The current namespace's kubeless Functions, where the cluster has kubeless's CRDs. */
  'interop.kubeless.list': call(z.object({}), KubelessListing),
  /** Imports Functions of the current namespace by name, with their triggers. */
  'interop.kubeless.import': call(z.object({ names: z.array(z.string().min(1).max(253)).min(1).max(100) }), ImportResult),
  /**
   * A deployed function as YAML: the plain objects Funcdeck applies for its serving revision (or
   * `revision`), or a Knative Service with the revisions' traffic. `namespace` sets the one written
   * into the objects (default: the current one).
   */
  'interop.export': call(
    z.object({
      name: FunctionName,
      format: ExportFormat,
      revision: z.number().int().min(1).optional(),
      namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'Use a namespace name: lowercase letters, digits and "-".').max(63).optional(),
    }),
    ExportResult,
  ),
};
export const interopStreams = {};
