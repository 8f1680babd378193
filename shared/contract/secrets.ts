import { z } from 'zod';
import { call } from './define';
import { DataKey, ObjectName } from './function-extras';
import { FunctionName } from './functions';

/**
 * A function's own Secrets, edited from its settings. Values travel only between the UI and the
 * engine and on to the cluster: never into drafts, revisions, history or logs (the spec refers to a
 * Secret by name and key). Listing gives names and keys; a value is sent only when asked for.
 */

/** Kubernetes' limit for one Secret is 1 MiB. */
export const MAX_SECRET_BYTES = 1024 * 1024;

export const SecretInfo = z.object({
  name: z.string(),
  keys: z.array(z.string()),
  /** True when it carries this function's Funcdeck labels (editable here); false for someone else's. */
  ours: z.boolean(),
});
export type SecretInfo = z.infer<typeof SecretInfo>;

export const RefTargets = z.object({
  namespace: z.string(),
  secrets: z.array(SecretInfo),
  configMaps: z.array(z.object({ name: z.string(), keys: z.array(z.string()) })),
});
export type RefTargets = z.infer<typeof RefTargets>;

export const SecretEntry = z.object({
  key: DataKey,
  /** The new value; left out to keep the value the Secret has now (so editing needs no reveal). */
  value: z.string().max(MAX_SECRET_BYTES, 'Keep each value under 1 MiB.').optional(),
});
export type SecretEntry = z.infer<typeof SecretEntry>;

const SecretRef = z.object({ function: FunctionName, secret: ObjectName });

export const secretsCalls = {
  /** Names and keys (never values) of the namespace's Secrets and ConfigMaps, for the reference pickers; Funcdeck's revision ConfigMaps left out. */
  'secrets.targets': call(z.object({ function: FunctionName }), RefTargets),
  /** One value of one of this function's Secrets, when the person asks to see it. Binary values come as base64. */
  'secrets.reveal': call(SecretRef.extend({ key: DataKey }), z.object({ value: z.string(), encoding: z.enum(['utf8', 'base64']) })),
  /**
   * Creates or replaces one of this function's Secrets with exactly these keys (a key left out is
   * removed). Refused (CONFLICT) when a Secret of that name is not this function's.
   */
  'secrets.save': call(
    SecretRef.extend({
      entries: z
        .array(SecretEntry)
        .max(100, 'Use at most 100 keys.')
        .superRefine((entries, ctx) => {
          const seen = new Set<string>();
          entries.forEach((e, i) => {
            if (seen.has(e.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `"${e.key}" appears twice; keys must be unique.` });
            seen.add(e.key);
          });
        }),
    }),
    SecretInfo,
  ),
  /** Deletes one of this function's Secrets (someone else's is never deleted). */
  'secrets.delete': call(SecretRef, z.object({ deleted: z.boolean() })),
};
export const secretsStreams = {};
