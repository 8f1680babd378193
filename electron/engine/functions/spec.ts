import { FunctionSpec, FunctionSpecShape, languageOf, type SpecIssue } from '../../../shared/contract/functions';
import { unknownFields, unknownFieldWarning } from '../../../shared/contract/unknown-fields';
import { normalizeExtras } from '../deploy/extras';

export interface ParsedSpec {
  spec: FunctionSpec | null;
  issues: SpecIssue[];
  warnings: string[];
}

/**
 * Parses a spec from the UI: the contract's per-field checks, plus what this engine cannot do yet.
 * The result is normalized (defaults filled, language explicit, files sorted) so equal specs compare equal.
 */
export function parseSpec(raw: unknown): ParsedSpec {
  // Unknown fields are dropped by the schema; say so, so a typo or an unsupported field is not silently lost.
  const unknown = unknownFields(FunctionSpecShape, raw).map(unknownFieldWarning);
  const parsed = FunctionSpec.safeParse(raw);
  if (!parsed.success) {
    return {
      spec: null,
      warnings: unknown,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  const spec = parsed.data;
  const issues: SpecIssue[] = [];
  const warnings: string[] = [...unknown];
  // Scale to zero (min 0) and autoscaling (max > min) are carried by the namespace gateway, which the
  // deploy installs when the function first needs it (electron/engine/gateway).
  const normalized: FunctionSpec = normalizeExtras({
    ...spec,
    language: languageOf(spec),
    files: [...spec.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    cron: spec.cron ?? null,
  });
  return { spec: issues.length ? null : normalized, issues, warnings };
}
