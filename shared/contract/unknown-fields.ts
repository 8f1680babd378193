import { z } from 'zod';

/** Fields people reach for that the spec expresses another way; only used while the field is unknown. */
const HINTS: Record<string, string> = {
  memory: '(Did you mean "size"? It sets memory and CPU.)',
  cpu: '(Did you mean "size"? It sets memory and CPU.)',
  resources: '(Did you mean "size"? It sets memory and CPU.)',
  replicas: '(Did you mean "scale"?)',
};

/** The object schema inside optional/nullable/default wrappers, or an array's element, else null. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key an unknown one was probably meant to be: a small typo of it, or of its start. */
function closest(key: string, known: string[]): string | null {
  const k = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const d = editDistance(k, c);
    const limit = c.length <= 4 ? 1 : 2;
    // A small typo of the whole name, or of its start ("timout" for timeoutSeconds).
    const startsLike = k.length >= 4 && k.length < c.length && editDistance(k, c.slice(0, k.length + 1)) <= 1;
    if ((d <= limit || startsLike) && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** The warning for one unknown field, as validate and the editor's YAML view show it. */
export function unknownFieldWarning(f: { path: string; hint: string | null }): string {
  return `The spec has a field "${f.path}" that Funcdeck does not know; it was ignored.${f.hint ? ` ${f.hint}` : ''}`;
}

/**
 * Every key of `value` that `schema` does not declare, as dotted paths with a hint, walking the
 * schema's own objects and arrays (so a field added to the schema is known at once). Values under
 * unknown keys are not read.
 */
export function unknownFields(schema: z.ZodType, value: unknown, prefix: string[] = []): Array<{ path: string; hint: string | null }> {
  const s = unwrap(schema);
  const out: Array<{ path: string; hint: string | null }> = [];
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((item, i) => out.push(...unknownFields(s.element as z.ZodType, item, [...prefix, String(i)])));
  } else if (s instanceof z.ZodObject && value && typeof value === 'object' && !Array.isArray(value)) {
    const shape = s.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    for (const [key, v] of Object.entries(value)) {
      if (Object.prototype.hasOwnProperty.call(shape, key)) {
        out.push(...unknownFields(shape[key]!, v, [...prefix, key]));
        continue;
      }
      const guess = closest(key, known);
      const hint = HINTS[key] ?? (guess ? `(Did you mean "${[...prefix, guess].join('.')}"?)` : null);
      out.push({ path: [...prefix, key].join('.'), hint });
    }
  }
  return out;
}
