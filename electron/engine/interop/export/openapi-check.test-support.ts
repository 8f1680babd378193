/**
 * Checks a value against a CRD's structural OpenAPI v3 schema the way the API server's strict field
 * validation does for the parts an export uses: unknown fields, types, required fields, int-or-string
 * and preserve-unknown-fields. Returns each problem as `path: what`. (The integration tests also
 * dry-run exports against the real API server with the CRD installed.)
 */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  description?: string;
}

export function checkAgainst(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || '(root)';
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value) ? [] : [`${at}: must be an integer or a string`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: must be a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: must be an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: must be a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: must be a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: must be an array`];
      return schema.items ? value.flatMap((v, i) => checkAgainst(schema.items!, v, `${path}[${i}]`)) : [];
  }
  // The API server checks an object's own metadata itself; the CRD's schema leaves it open.
  if (path === 'metadata') return value && typeof value === 'object' ? [] : [`${at}: must be an object`];
  if (schema.type === 'object' || schema.properties) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${at}: must be an object`];
    const problems: string[] = [];
    for (const r of schema.required ?? []) if (!(r in value)) problems.push(`${path ? `${path}.` : ''}${r}: required`);
    for (const [k, v] of Object.entries(value)) {
      const sub = `${path ? `${path}.` : ''}${k}`;
      const prop = schema.properties?.[k];
      if (prop) problems.push(...checkAgainst(prop, v, sub));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') problems.push(...checkAgainst(schema.additionalProperties, v, sub));
      else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) problems.push(`${sub}: unknown field`);
    }
    return problems;
  }
  return [];
}

/** Paths in `value` whose schema says they are behind a Knative feature flag, with the flag. */
export function flaggedFields(schema: Schema, value: unknown, path = ''): Array<{ path: string; flag: string }> {
  const flag = /feature flag - ([a-z0-9.-]+)/.exec(schema.description ?? '')?.[1];
  const here = flag && path ? [{ path, flag }] : [];
  if (Array.isArray(value) && schema.items) return [...here, ...value.flatMap((v, i) => flaggedFields(schema.items!, v, `${path}[${i}]`))];
  if (value && typeof value === 'object' && schema.properties) {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => (schema.properties![k] ? flaggedFields(schema.properties![k]!, v, `${path ? `${path}.` : ''}${k}`) : []))];
  }
  return here;
}
