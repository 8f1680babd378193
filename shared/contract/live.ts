import { z } from 'zod';
import { call, stream } from './define';
import { BuildDiagnostic, FunctionName, type FunctionSpecInput } from './functions';

/**
 * Live update: saved code pushed into the running pods of a function's serving revision and
 * loaded in place, without a revision (electron/engine/live). Through the API server only (pod exec
 * with the user's credentials). Deploy makes the live code an immutable revision; a pod that
 * restarts meanwhile comes back with its revision's code.
 */

const SpecParam = z.custom<FunctionSpecInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'The spec must be an object.');

export const LivePodResult = z.object({
  pod: z.string(),
  ok: z.boolean(),
  /** The pod's code generation after the push (0 = the revision's own code). */
  generation: z.number().int(),
  /** Time the push took for this pod, exec included. */
  ms: z.number(),
  /** Why the new code did not load there (the pod keeps running its previous code). */
  error: z.string().nullable(),
});
export type LivePodResult = z.infer<typeof LivePodResult>;

export const LivePushResult = z.object({
  name: z.string(),
  /** The revision whose pods now run the pushed code. */
  revision: z.number().int(),
  pods: z.array(LivePodResult),
  /** Files sent (changed since the pod's code), summed over the pods' requests. */
  changedFiles: z.number().int(),
  ms: z.number(),
  /** Warnings from the local check (e.g. type warnings); errors stop the push before it reaches a pod. */
  diagnostics: z.array(BuildDiagnostic),
});
export type LivePushResult = z.infer<typeof LivePushResult>;

export const LivePodState = z.object({
  pod: z.string(),
  /** live: runs pushed code; revision: runs its revision's code (never pushed, or restarted since). */
  code: z.enum(['live', 'revision']),
  generation: z.number().int(),
});

export const LiveStatus = z.object({
  name: z.string(),
  /** True while pods run pushed code that is not a revision. */
  live: z.boolean(),
  /** The serving revision the pushes went to; null when none serves. */
  revision: z.number().int().nullable(),
  pods: z.array(LivePodState),
  /** Said when something changed behind the editor's back: a pod restarted with its revision's code, or a deploy ended live mode. */
  notice: z.string().nullable(),
  /** ISO time of the last push. */
  pushedAt: z.string().nullable(),
});
export type LiveStatus = z.infer<typeof LiveStatus>;

export const liveCalls = {
  /**
   * Pushes the spec's code into the serving revision's running pods and loads it there. Only code:
   * a changed manifest or setting rejects with UNSUPPORTED naming it (Deploy applies those). Build
   * errors reject with BUILD_FAILED and { diagnostics }, before any pod is touched.
   */
  'live.push': call(z.object({ spec: SpecParam }), LivePushResult),
  /** Ends live mode: the pods get their revision's code back. */
  'live.stop': call(z.object({ name: FunctionName }), z.object({ name: z.string(), restored: z.array(z.string()) })),
};

export const liveStreams = {
  'live.status': stream(z.object({ name: FunctionName }), LiveStatus),
};
