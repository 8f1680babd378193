/**
 * Reads a kubeless object field by field and remembers which fields the import used, so everything
 * else in it can be listed as not carried (nothing is dropped silently).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class FieldReader {
  private readonly used = new Set<string>();

  constructor(readonly root: Json) {}

  /** The value at a dotted path ("spec.deployment.spec.replicas"; list items by index); marks it used. */
  take(path: string): Json | undefined {
    this.used.add(path);
    return this.peek(path);
  }

  /** The value without marking it used. */
  peek(path: string): Json | undefined {
    let v: Json | undefined = this.root;
    for (const part of path.split('.')) {
      if (v === null || typeof v !== 'object') return undefined;
      v = Array.isArray(v) ? v[Number(part)] : v[part];
    }
    return v;
  }

  takeString(path: string): string | undefined {
    const v = this.take(path);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }

  takeMap(path: string): Record<string, string> {
    const v = this.take(path);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  }

  /** Marks paths as used without reading them (fields that need no carrying, e.g. uid or status). */
  ignore(...paths: string[]): void {
    for (const p of paths) this.used.add(p);
  }

  /**
   * The fields nothing took, each as its shallowest path under which nothing was taken, with a short
   * preview of the value. Empty values (null, "", {}, []) carry nothing and are not listed.
   */
  leftOver(): Array<{ path: string; preview: string }> {
    const out: Array<{ path: string; preview: string }> = [];
    const hasUsedBelow = (path: string) => [...this.used].some((u) => u.startsWith(`${path}.`));
    const walk = (v: Json, path: string) => {
      if (path && this.used.has(path)) return;
      if (isEmpty(v)) return;
      if (v !== null && typeof v === 'object' && (!path || hasUsedBelow(path))) {
        for (const [k, x] of Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
        return;
      }
      out.push({ path, preview: preview(v) });
    };
    walk(this.root, '');
    return out;
  }
}

function isEmpty(v: Json): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.every(isEmpty);
  if (typeof v === 'object') return Object.values(v).every(isEmpty);
  return false;
}

function preview(v: Json): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
