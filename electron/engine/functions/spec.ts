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
  if (spec.scale.min === 0) {
    issues.push({
      path: 'scale.min',
      message: 'Scale to zero needs the namespace router, which this version does not install yet; use a minimum of 1.',
    });
  }
  if (spec.scale.max > spec.scale.min) {
    warnings.push(`Autoscaling is not available yet: the function runs ${spec.scale.min} replica(s), not up to ${spec.scale.max}.`);
  }
  const normalized: FunctionSpec = normalizeExtras({
    ...spec,
    language: languageOf(spec),
    files: [...spec.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    cron: spec.cron ?? null,
  });
  return { spec: issues.length ? null : normalized, issues, warnings };
}
