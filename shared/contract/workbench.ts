import { z } from 'zod';
import { call } from './define';
import { DraftValue } from './drafts';
import { HttpMethod, NameValue } from './invoke';

/**
 * The workbench as the user left it in one context (VS Code's "hot exit"): kept by the engine in the
 * data dir, so it survives reloads, app restarts and a browser profile or port change. Unsaved editor
 * text lives here, never in the drafts the user saves explicitly.
 */

export const PanelTabId = z.enum(['invoke', 'logs', 'revisions', 'metrics', 'events', 'deploy']);
export type PanelTabId = z.infer<typeof PanelTabId>;

const Namespace = z.string().min(1).max(63);
const FunctionRef = z.object({ namespace: Namespace, name: z.string().min(1).max(63) });
export type FunctionRef = z.infer<typeof FunctionRef>;

/** The invoke panel's form as typed (a body is kept even while the method sends none). */
export const InvokeForm = z.object({
  method: HttpMethod,
  path: z.string().max(2048),
  query: z.array(NameValue.extend({ name: z.string().max(1024) })).max(200),
  headers: z.array(NameValue.extend({ name: z.string().max(1024) })).max(200),
  bodyKind: z.enum(['json', 'text']),
  body: z.string().max(1024 * 1024),
});
export type InvokeForm = z.infer<typeof InvokeForm>;

export const WorkbenchPlace = z.object({
  /** The namespace last used in this context. */
  namespace: Namespace,
  /** The open function, if any. */
  open: FunctionRef.nullable(),
  /** The open function's active editor tab (a file path, or "settings"). */
  fileTab: z.string().max(300).nullable(),
  panelTab: PanelTabId,
  /** Edits of the open function not saved as a draft: its whole spec as the editor holds it. */
  unsaved: FunctionRef.extend({ spec: DraftValue }).nullable(),
  /** The invoke form of one function. */
  invoke: FunctionRef.extend({ form: InvokeForm }).nullable(),
  /** Functions opened here, newest first. */
  recent: z.array(FunctionRef.extend({ openedAt: z.string() })).max(10),
});
export type WorkbenchPlace = z.infer<typeof WorkbenchPlace>;

/** The layout, the same in every context. */
export const WorkbenchLayout = z.object({
  /** The bottom panel's height in CSS pixels. */
  panelHeight: z.number().int().min(80).max(5000),
});
export type WorkbenchLayout = z.infer<typeof WorkbenchLayout>;

const Context = z.string().min(1).max(253);

export const workbenchCalls = {
  /** The place kept for `context` (null if none yet) and the layout (null if never changed). */
  'workbench.get': call(z.object({ context: Context }), z.object({ place: WorkbenchPlace.nullable(), layout: WorkbenchLayout.nullable() })),
  /** Keeps the place of `context`; written to disk shortly after (coalesced), atomically. */
  'workbench.save': call(z.object({ context: Context, place: WorkbenchPlace }), z.object({ ok: z.literal(true) })),
  'workbench.layout': call(z.object({ layout: WorkbenchLayout }), z.object({ ok: z.literal(true) })),
};
export const workbenchStreams = {};
