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

/**
 * The owner key of the namespace gateway's objects (electron/engine/gateway): they belong to no
 * function, and are labelled `funcdeck.dev/component: gateway` instead. Not a valid function name,
 * so it can stand wherever a function name is the owner.
 */
export const GATEWAY_OWNER = '@gateway';
export const COMPONENT_LABEL = 'funcdeck.dev/component';

/** The labels that make an object this owner's. */
export function ownerLabels(owner: string): Record<string, string> {
  return owner === GATEWAY_OWNER ? { [LABELS.managedBy]: MANAGED_BY, [COMPONENT_LABEL]: 'gateway' } : { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: owner };
}

/** The owner an object's labels name (a function, or the gateway), or null. */
export function ownerOf(obj: LabelledObject): string | null {
  const labels = obj.metadata?.labels ?? {};
  if (labels[LABELS.managedBy] !== MANAGED_BY) return null;
  if (labels[LABELS.function]) return labels[LABELS.function]!;
  return labels[COMPONENT_LABEL] === 'gateway' ? GATEWAY_OWNER : null;
}

export function isOurs(obj: LabelledObject | null | undefined, fn: string): boolean {
  const labels = obj?.metadata?.labels ?? {};
  if (fn === GATEWAY_OWNER) return labels[LABELS.managedBy] === MANAGED_BY && labels[COMPONENT_LABEL] === 'gateway' && !labels[LABELS.function];
  return labels[LABELS.managedBy] === MANAGED_BY && labels[LABELS.function] === fn;
}

/** Why an object is not this function's, in words ("it has no Funcdeck labels"). */
export function whyNotOurs(obj: LabelledObject, fn: string): string {
  const labels = obj.metadata?.labels ?? {};
  if (fn === GATEWAY_OWNER) {
    if (labels[LABELS.managedBy] === MANAGED_BY && labels[LABELS.function]) return `it belongs to Funcdeck function "${labels[LABELS.function]}"`;
    if (labels[LABELS.managedBy] === MANAGED_BY) return `it is labelled ${LABELS.managedBy}=${MANAGED_BY} but not ${COMPONENT_LABEL}=gateway`;
    return labels[COMPONENT_LABEL] ? `it is labelled ${COMPONENT_LABEL}=${labels[COMPONENT_LABEL]} without ${LABELS.managedBy}=${MANAGED_BY}` : 'it has no Funcdeck labels';
  }
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
  const labels = Object.entries(ownerLabels(fn)).map(([k, v]) => `${k}=${v}`);
  const whose = fn === GATEWAY_OWNER ? "Funcdeck's gateway's" : "this function's";
  const example = first ? ` For example \`kubectl -n ${ns} delete ${first.kind.toLowerCase()} ${first.name}\`, or if it really is ${whose}, \`kubectl -n ${ns} label ${first.kind.toLowerCase()} ${first.name} ${labels.join(' ')} --overwrite\`.` : '';
  const todo = fn === GATEWAY_OWNER ? 'Delete, rename or relabel' : 'Rename the function, or delete or relabel';
  return new FuncdeckError(
    'CONFLICT',
    `Cannot ${doing}: namespace "${ns}" already has ${list}, and Funcdeck changes only objects labelled ${labels.join(' and ')}. Nothing was changed. ${todo} ${objects.length > 1 ? 'those objects' : 'that object'}.${example}`,
    { notOwned: objects },
  );
}
