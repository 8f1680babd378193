import { FuncdeckError } from '../../../shared/contract/errors';
import { LABELS, MANAGED_BY } from '../../../shared/contract/runtime-protocol';

/**
 * Which objects are Funcdeck's: those labelled `app.kubernetes.io/managed-by: funcdeck` and
 * `funcdeck.dev/function: <that function>`. Anything else in the cluster (a person's Service that
 * happens to share the function's name, another function's object, an object with only one of the
 * labels) is never changed or deleted.
 */
export interface LabelledObject {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    managedFields?: Array<{ manager?: string; operation?: string }>;
  };
}

export function isOurs(obj: LabelledObject | null | undefined, fn: string): boolean {
  const labels = obj?.metadata?.labels ?? {};
  return labels[LABELS.managedBy] === MANAGED_BY && labels[LABELS.function] === fn;
}

/** Why an object is not this function's, in words ("it has no Funcdeck labels"). */
export function whyNotOurs(obj: LabelledObject, fn: string): string {
  const labels = obj.metadata?.labels ?? {};
  const managed = labels[LABELS.managedBy];
  const owner = labels[LABELS.function];
  if (managed === MANAGED_BY && owner && owner !== fn) return `it belongs to Funcdeck function "${owner}"`;
  if (managed === MANAGED_BY) return `it is labelled ${LABELS.managedBy}=${MANAGED_BY} but not ${LABELS.function}=${fn}`;
  if (owner === fn) return `it is labelled ${LABELS.function}=${fn} but not ${LABELS.managedBy}=${MANAGED_BY}${managed ? ` (it says "${managed}")` : ''}`;
  if (owner) return `it is labelled ${LABELS.function}=${owner}, without ${LABELS.managedBy}=${MANAGED_BY}`;
  return 'it has no Funcdeck labels';
}

/** Field managers other than Funcdeck's that own fields of the object (who else edits it). */
export function otherManagers(obj: LabelledObject): string[] {
  const names = (obj.metadata?.managedFields ?? []).map((m) => m.manager ?? '').filter((m) => m && m !== 'funcdeck');
  return [...new Set(names)];
}

export interface ForeignObject {
  kind: string;
  name: string;
  namespace: string;
  /** whyNotOurs() of it. */
  reason: string;
  /** Field managers of the object other than Funcdeck, when known. */
  managers?: string[];
}

export function foreignObject(kind: string, namespace: string, obj: LabelledObject, fn: string): ForeignObject {
  const managers = otherManagers(obj);
  return { kind, name: obj.metadata?.name ?? '', namespace, reason: whyNotOurs(obj, fn), ...(managers.length ? { managers } : {}) };
}

/**
 * The error when objects that a call would change are not this function's: names each (kind, name,
 * why) and says what to do. `doing` completes "Cannot ...", e.g. `deploy "hello"`. Nothing was changed.
 */
export function notOwnedError(doing: string, fn: string, objects: ForeignObject[]): FuncdeckError {
  const ns = objects[0]?.namespace ?? '';
  const list = objects.map((o) => `${o.kind} "${o.name}" (${o.reason}${o.managers ? `; managed by ${o.managers.join(', ')}` : ''})`).join(', ');
  const first = objects[0];
  const example = first ? ` For example \`kubectl -n ${ns} delete ${first.kind.toLowerCase()} ${first.name}\`, or if it really is this function's, \`kubectl -n ${ns} label ${first.kind.toLowerCase()} ${first.name} ${LABELS.managedBy}=${MANAGED_BY} ${LABELS.function}=${fn} --overwrite\`.` : '';
  return new FuncdeckError(
    'CONFLICT',
    `Cannot ${doing}: namespace "${ns}" already has ${list}, and Funcdeck changes only objects labelled ${LABELS.managedBy}=${MANAGED_BY} and ${LABELS.function}=${fn}. Nothing was changed. Rename the function, or delete or relabel ${objects.length > 1 ? 'those objects' : 'that object'}.${example}`,
    { notOwned: objects },
  );
}
