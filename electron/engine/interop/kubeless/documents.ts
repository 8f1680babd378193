import { parseAllDocuments } from 'yaml';
import { FuncdeckError } from '../../../../shared/contract/errors';
import type { ImportResult, NotCarried } from '../../../../shared/contract/interop';
import type { RuntimeId } from '../../../../shared/contract/settings';
import { importFunction } from './function';
import { TRIGGER_KINDS, triggers, type KubelessObject } from './triggers';

/**
 * YAML text (one document or many; `kubectl get -o yaml` lists too) to an import result: each
 * kubeless Function with the triggers that point at it; everything else listed as not carried.
 */

const isKubeless = (o: KubelessObject) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kubeless.io/');

export function parseObjects(text: string): { objects: KubelessObject[]; notCarried: NotCarried[] } {
  const objects: KubelessObject[] = [];
  const notCarried: NotCarried[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0]?.line;
      notCarried.push({ what: `document ${i + 1}${line ? ` (line ${line})` : ''}`, why: `Not valid YAML: ${first.message.split('\n')[0]}` });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const add = (v: unknown) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        notCarried.push({ what: `document ${i + 1}`, why: 'Not a Kubernetes object.' });
        return;
      }
      const o = v as KubelessObject & { items?: unknown };
      if (Array.isArray(o.items) && (o.kind === 'List' || o.kind?.endsWith('List'))) o.items.forEach(add);
      else objects.push(o);
    };
    add(value);
  });
  return { objects, notCarried };
}

export async function importObjects(objects: KubelessObject[], images: Record<RuntimeId, string>): Promise<ImportResult> {
  const functions = objects.filter((o) => isKubeless(o) && o.kind === 'Function');
  const triggerObjects = objects.filter((o) => isKubeless(o) && (TRIGGER_KINDS as readonly string[]).includes(o.kind ?? ''));
  const claimed = new Set<KubelessObject>();
  const result: ImportResult = { functions: [], notCarried: [] };
  for (const fn of functions) {
    const related = triggerObjects.filter((t) =>
      triggers(t, { name: fn.metadata?.name ?? '', namespace: fn.metadata?.namespace ?? null, labels: fn.metadata?.labels ?? {} }),
    );
    related.forEach((t) => claimed.add(t));
    result.functions.push(await importFunction(fn, related, images));
  }
  for (const o of objects) {
    if (functions.includes(o) || claimed.has(o)) continue;
    const what = `${o.kind ?? 'object'} ${o.metadata?.name ?? '(unnamed)'}`;
    if (triggerObjects.includes(o)) result.notCarried.push({ what, why: 'A trigger of no function in this import.' });
    else result.notCarried.push({ what, why: isKubeless(o) ? 'Not a kubeless Function or trigger.' : 'Not a kubeless object (kubeless.io/v1beta1).' });
  }
  return result;
}

export async function importText(text: string, images: Record<RuntimeId, string>): Promise<ImportResult> {
  const parsed = parseObjects(text);
  const result = await importObjects(parsed.objects, images);
  result.notCarried.unshift(...parsed.notCarried);
  if (!result.functions.length && !parsed.objects.length && !parsed.notCarried.length) {
    throw new FuncdeckError('INVALID_SPEC', 'The text holds no YAML objects. Paste a kubeless Function (apiVersion: kubeless.io/v1beta1, kind: Function).');
  }
  return result;
}
