import { z } from 'zod';

/**
 * Every failure that crosses the UI/engine boundary is one of these codes, with a message
 * written for the person at the keyboard (what happened, what to do next).
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST', // a message or its params failed validation
  'UNKNOWN_METHOD',
  'NO_KUBECONFIG',
  'KUBECONFIG_INVALID',
  'CONTEXT_NOT_FOUND',
  'NO_CONTEXT_SELECTED',
  'CLUSTER_UNREACHABLE',
  'UNAUTHORIZED', // credentials rejected or expired
  'FORBIDDEN', // RBAC said no; details carry verb and resource
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_SPEC',
  'BUILD_FAILED',
  'DEPLOY_FAILED',
  'INVOKE_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'UNSUPPORTED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

export class FuncdeckError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'FuncdeckError';
    this.code = code;
    this.details = details;
  }

  toShape(): ErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromShape(shape: ErrorShape): FuncdeckError {
    return new FuncdeckError(shape.code, shape.message, shape.details);
  }
}

export function isFuncdeckError(e: unknown): e is FuncdeckError {
  return e instanceof FuncdeckError;
}

/** Anything thrown becomes a typed error; unknown failures keep their text but say it is a bug. */
export function toErrorShape(e: unknown): ErrorShape {
  if (e instanceof FuncdeckError) return e.toShape();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const parsed = ErrorShape.safeParse(e);
    if (parsed.success) return parsed.data;
  }
  const text = e instanceof Error ? e.message : String(e);
  return {
    code: 'INTERNAL',
    message: `Unexpected engine error: ${text}. This is a bug in Funcdeck; the engine log has details.`,
  };
}

/** Turns a zod failure into one readable line per field ("spec.name: must be ..."). */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
