import { z } from 'zod';
import { call, stream } from './define';
import { ErrorShape } from './errors';
import { FunctionName } from './functions';
import { ColdStart } from './traffic';
import { headerValueProblem } from './text';

/** Largest response body returned for display; the full size is still reported. */
export const INVOKE_DISPLAY_LIMIT_BYTES = 1024 * 1024;
/** Largest request body accepted (decoded bytes). */
export const INVOKE_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
export const INVOKE_DEFAULT_TIMEOUT_MS = 30_000;
export const INVOKE_MAX_TIMEOUT_MS = 900_000;
/** Invocations kept per function in the local history (oldest dropped first). */
export const INVOKE_HISTORY_CAP = 200;

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** A header or query parameter; a list (not a map) so repeated names and order survive. */
export const NameValue = z.object({
  name: z.string().min(1, 'must not be empty').max(1024),
  value: z.string().max(64 * 1024),
});
export type NameValue = z.infer<typeof NameValue>;

/**
 * A body as it crosses the contract: `text` (UTF-8), `json` (JSON text, sent with
 * content-type application/json unless a header says otherwise) or `base64` (any bytes).
 */
export const BodyKind = z.enum(['text', 'json', 'base64']);
export type BodyKind = z.infer<typeof BodyKind>;

export const InvokeBody = z.object({
  kind: BodyKind,
  content: z.string().max(Math.ceil((INVOKE_MAX_REQUEST_BYTES * 4) / 3) + 4),
});
export type InvokeBody = z.infer<typeof InvokeBody>;

export const InvokeRequest = z.object({
  function: FunctionName,
  method: HttpMethod.default('GET'),
  /** Path below the function's root, e.g. "/" or "/items/3". */
  path: z
    .string()
    .max(2048)
    .regex(/^\/[^?#\s]*$/, 'must start with "/" and contain no "?", "#" or spaces (put the query in `query`)')
    .default('/'),
  query: z.array(NameValue).max(200).default([]),
  headers: z.array(NameValue).max(200).default([]),
  body: InvokeBody.nullable().default(null),
  /** Client-side deadline; the call fails with TIMEOUT when it passes. */
  timeoutMs: z.number().int().min(100).max(INVOKE_MAX_TIMEOUT_MS).default(INVOKE_DEFAULT_TIMEOUT_MS),
});
export type InvokeRequest = z.output<typeof InvokeRequest>;
export type InvokeRequestInput = z.input<typeof InvokeRequest>;

export const ResponseBody = z.object({
  kind: BodyKind,
  /** The body (or its first INVOKE_DISPLAY_LIMIT_BYTES when `truncated`). */
  content: z.string(),
  truncated: z.boolean(),
  /** The full size in bytes as received. */
  sizeBytes: z.number().int().min(0),
});
export type ResponseBody = z.infer<typeof ResponseBody>;

export const InvokeTiming = z.object({
  /** From sending the request to the last byte of the response, measured by the engine. */
  totalMs: z.number().min(0),
  /** The handler's own time from the runtime's x-funcdeck-duration-ms header; null when absent. */
  functionMs: z.number().min(0).nullable(),
});
export type InvokeTiming = z.infer<typeof InvokeTiming>;

export const InvokeResult = z.object({
  status: z.number().int(),
  statusText: z.string(),
  headers: z.array(NameValue),
  body: ResponseBody,
  /** The runtime's x-funcdeck-request-id: the same id tags this call's log lines. */
  requestId: z.string().nullable(),
  /** The revision that answered (x-funcdeck-revision), null when the runtime did not say. */
  revision: z.string().nullable(),
  timing: InvokeTiming,
  /** ISO time the request was sent. */
  invokedAt: z.string(),
  /** The history entry this call was recorded as. */
  historyId: z.string(),
  /** Set when this call waited for its revision to start (scale from zero), with where the time went. */
  coldStart: ColdStart.nullable().optional(),
});
export type InvokeResult = z.infer<typeof InvokeResult>;

/** One past call as the history keeps it: the request, and a summary of the answer (or the error). */
export const InvokeHistoryEntry = z.object({
  id: z.string(),
  invokedAt: z.string(),
  request: InvokeRequest,
  summary: z.object({
    status: z.number().int().nullable(),
    statusText: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    requestId: z.string().nullable(),
    revision: z.string().nullable(),
    totalMs: z.number().nullable(),
    functionMs: z.number().nullable(),
    /** Set when the call failed before an HTTP answer (deadline, unreachable, no pods). */
    error: ErrorShape.nullable(),
  }),
});
export type InvokeHistoryEntry = z.infer<typeof InvokeHistoryEntry>;

/** A named request the user keeps for one function. */
export const SavedRequest = z.object({
  name: z.string().min(1, 'must not be empty').max(100),
  request: InvokeRequest,
  savedAt: z.string(),
});
export type SavedRequest = z.infer<typeof SavedRequest>;

/**
 * What invoke.send accepts: a request whose headers HTTP can carry. Kept apart from InvokeRequest,
 * which also reads stored history and saved requests (those may hold a header that was refused).
 */
const sendableHeaders = (req: { headers: NameValue[] }, ctx: z.RefinementCtx) => {
  req.headers.forEach((h, i) => {
    const problem = headerValueProblem(h.name, h.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['headers', i, 'value'], message: problem });
  });
};
export const SendableInvokeRequest = InvokeRequest.superRefine(sendableHeaders);

const FunctionRef = z.object({ function: FunctionName });

/** Names the progress of one invoke.send: the UI subscribes to invoke.progress with it before sending. */
export const ProgressKey = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be 8 to 64 letters, digits or "-"');

/** What invoke.send accepts: a sendable request (see SendableInvokeRequest), and optionally a progress key. */
export const InvokeSendParams = InvokeRequest.extend({
  /** When set, the answer's head and chunks are pushed on invoke.progress({ key }) as they arrive. */
  progressKey: ProgressKey.optional(),
}).superRefine(sendableHeaders);
export type InvokeSendParams = z.input<typeof InvokeSendParams>;

/**
 * An answer while it arrives (a streamed one in pieces over seconds): its head once, then its
 * chunks, at most about 20 a second (chunks that come closer together are joined). Chunks past
 * INVOKE_DISPLAY_LIMIT_BYTES are only counted. The call's result follows as usual.
 */
export const InvokeProgress = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('head'),
    status: z.number().int(),
    statusText: z.string(),
    headers: z.array(NameValue),
    requestId: z.string().nullable(),
    revision: z.string().nullable(),
    invokedAt: z.string(),
  }),
  z.object({
    type: z.literal('chunk'),
    /** The new text (UTF-8) for a textual answer; null for binary ones or past the display limit. */
    text: z.string().nullable(),
    /** Bytes in this chunk, and received so far. */
    bytes: z.number().int().min(0),
    receivedBytes: z.number().int().min(0),
    /** Since the request was sent. */
    atMs: z.number().min(0),
  }),
]);
export type InvokeProgress = z.infer<typeof InvokeProgress>;

export const invokeCalls = {
  /**
   * Sends one request to the function through the API server's service proxy, in the selected
   * context and namespace. Non-2xx answers of the function are results, not errors; errors are
   * TIMEOUT (client deadline), NOT_FOUND (no such function Service), INVOKE_FAILED (no ready pod,
   * proxy failure), CLUSTER_UNREACHABLE, UNAUTHORIZED, FORBIDDEN.
   */
  'invoke.send': call(InvokeSendParams, InvokeResult),
  /** Past calls of a function, newest first (at most INVOKE_HISTORY_CAP kept). */
  'invoke.history': call(FunctionRef.extend({ limit: z.number().int().min(1).max(INVOKE_HISTORY_CAP).default(INVOKE_HISTORY_CAP) }), z.array(InvokeHistoryEntry)),
  'invoke.history.clear': call(FunctionRef, z.object({ cleared: z.number().int() })),
  /** Saved requests of a function, sorted by name. */
  'invoke.saved.list': call(FunctionRef, z.array(SavedRequest)),
  /** Saves (or replaces, by name) a request; `request.function` is set to `function`. */
  'invoke.saved.save': call(FunctionRef.extend({ name: SavedRequest.shape.name, request: InvokeRequest }), SavedRequest),
  'invoke.saved.delete': call(FunctionRef.extend({ name: SavedRequest.shape.name }), z.object({ deleted: z.boolean() })),
};
export const invokeStreams = {
  /**
   * The progress of the invoke.send whose progressKey is `key` (subscribe first, then send). Ends
   * when that call has its answer (or error); the answer itself is the call's result.
   */
  'invoke.progress': stream(z.object({ key: ProgressKey }), InvokeProgress),
};
