import { z } from 'zod';
import { call } from './define';

/** The largest draft kept, as JSON text. */
export const MAX_DRAFT_BYTES = 4 * 1024 * 1024;

/** A draft belongs to one function in one namespace of one context. */
export const DraftKey = z.object({
  context: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(63),
});
export type DraftKey = z.infer<typeof DraftKey>;

/** The editor's unsaved spec, opaque to the engine; only its size is checked. */
export const DraftValue = z.unknown().superRefine((value, ctx) => {
  let size: number;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not JSON');
    size = new TextEncoder().encode(text).length;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON value' });
    return;
  }
  if (size > MAX_DRAFT_BYTES) {
    ctx.addIssue({ code: 'custom', message: `is ${size} bytes; drafts are limited to ${MAX_DRAFT_BYTES} bytes. Move large files out of the function.` });
  }
});

export const DraftSummary = DraftKey.extend({
  /** ISO time of the last save. */
  savedAt: z.string(),
  bytes: z.number().int(),
});
export type DraftSummary = z.infer<typeof DraftSummary>;

export const Draft = DraftSummary.extend({ spec: z.unknown() });
export type Draft = z.infer<typeof Draft>;

export const draftsCalls = {
  /** Drafts, newest first; filtered by context and namespace when given. */
  'drafts.list': call(z.object({ context: z.string().optional(), namespace: z.string().optional() }), z.array(DraftSummary)),
  'drafts.get': call(DraftKey, Draft.nullable()),
  'drafts.save': call(DraftKey.extend({ spec: DraftValue }), DraftSummary),
  'drafts.delete': call(DraftKey, z.object({ deleted: z.boolean() })),
};
export const draftsStreams = {};
