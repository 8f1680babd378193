import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { kubeJson } from '../kube/http';
import { collections, getObject, type Collection } from './kube-ops';
import { foreignObject, isOurs, notOwnedError, ownerOf, whyNotOurs, type LabelledObject } from './ownership';
import { IllFormedTextError, yamlSafeJson } from './yaml-safe-json';

/**
 * The only ways the engine writes to the cluster: each one first makes sure the object is this
 * function's (both Funcdeck labels), and none ever takes over someone else's object.
 */

export const FIELD_MANAGER = 'funcdeck';
const TIMEOUT_MS = 20_000;

/** A manifest the engine applies: kind, name, namespace and Funcdeck's labels are always set. */
export interface Manifest extends LabelledObject {
  apiVersion: string;
  kind: string;
}

type CollectionKey = keyof ReturnType<typeof collections>;
const KIND_COLLECTION: Record<string, CollectionKey> = {
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  Service: 'services',
  CronJob: 'cronjobs',
  Job: 'jobs',
  Pod: 'pods',
  ReplicaSet: 'replicasets',
  ServiceAccount: 'serviceaccounts',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Secret: 'secrets',
};

/** Where objects of `kind` live in namespace `ns`; a kind the engine does not know is a bug, refused before any write. */
export function collectionOfKind(kind: string, ns: string): Collection {
  const key = KIND_COLLECTION[kind];
  if (!key) throw new FuncdeckError('INTERNAL', `Funcdeck does not know where ${kind} objects live, so it writes none. This is a bug in Funcdeck.`);
  return collections(ns)[key];
}

export type Found<T> = { state: 'absent' } | { state: 'ours'; obj: T } | { state: 'foreign'; obj: T; reason: string };

/** Reads one object by name and says whether it is this function's. */
export async function readOwned<T extends LabelledObject>(kc: KubeConfig, kind: string, ns: string, name: string, fn: string): Promise<Found<T>> {
  const obj = await getObject<T>(kc, collectionOfKind(kind, ns), name);
  if (!obj) return { state: 'absent' };
  return isOurs(obj, fn) ? { state: 'ours', obj } : { state: 'foreign', obj, reason: whyNotOurs(obj, fn) };
}

function identity(obj: Manifest): { kind: string; name: string; ns: string; fn: string } {
  const name = obj.metadata?.name;
  const ns = obj.metadata?.namespace;
  const fn = ownerOf(obj);
  if (!name || !ns || !fn || !isOurs(obj, fn)) throw new FuncdeckError('INTERNAL', `A ${obj.kind} manifest without name, namespace or Funcdeck's labels was about to be applied. This is a bug in Funcdeck.`);
  return { kind: obj.kind, name, ns, fn };
}

/** The apply body (JSON that YAML reads back exactly); text that is not valid Unicode is INVALID_SPEC. */
export function applyBody(obj: Manifest): string {
  try {
    return yamlSafeJson(obj);
  } catch (e) {
    if (!(e instanceof IllFormedTextError)) throw e;
    throw new FuncdeckError('INVALID_SPEC', `${obj.kind} "${obj.metadata?.name ?? ''}" cannot be stored: ${e.message} Remove or replace that character.`, { field: e.path, offset: e.offset });
  }
}

async function patchApply<T>(kc: KubeConfig, c: Collection, name: string, body: string, force: boolean): Promise<T> {
  return kubeJson<T>(
    kc,
    {
      method: 'PATCH',
      path: `${c.path}/${encodeURIComponent(name)}`,
      query: { fieldManager: FIELD_MANAGER, force: force ? 'true' : undefined },
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body,
      timeoutMs: TIMEOUT_MS,
    },
    { verb: 'patch', resource: c.resource, namespace: c.namespace },
  );
}

/**
 * Server-side apply as the `funcdeck` field manager, without force. A field-manager conflict means
 * someone else set a field: when the object carries this function's labels it is ours (someone ran
 * `kubectl scale` or `edit`), and the apply is repeated with force; otherwise it is a CONFLICT error
 * naming the object and its managers, and nothing is taken over.
 */
export async function applyOwned<T extends LabelledObject>(kc: KubeConfig, obj: Manifest): Promise<T> {
  const { kind, name, ns, fn } = identity(obj);
  const c = collectionOfKind(kind, ns);
  const body = applyBody(obj);
  try {
    return await patchApply<T>(kc, c, name, body, false);
  } catch (e) {
    if (!(e instanceof FuncdeckError && e.code === 'CONFLICT')) throw e;
    const found = await readOwned<T>(kc, kind, ns, name, fn);
    if (found.state === 'foreign') throw notOwnedError(`apply ${kind} "${name}" for function "${fn}"`, fn, [foreignObject(kind, ns, found.obj, fn)]);
    return patchApply<T>(kc, c, name, body, found.state === 'ours');
  }
}

/**
 * Creates a new object of this function's (a plain POST, never an apply): an object of that name
 * that already exists, whoever's it is, is left as it is and the call fails with CONFLICT.
 */
export async function createOwned<T extends LabelledObject>(kc: KubeConfig, obj: Manifest): Promise<T> {
  const { kind, name, ns } = identity(obj);
  const c = collectionOfKind(kind, ns);
  try {
    return await kubeJson<T>(kc, { method: 'POST', path: c.path, query: { fieldManager: FIELD_MANAGER }, body: applyBody(obj), timeoutMs: TIMEOUT_MS }, { verb: 'create', resource: c.resource, namespace: ns });
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'CONFLICT') {
      throw new FuncdeckError('CONFLICT', `A ${kind} named "${name}" already exists in namespace "${ns}", so Funcdeck created nothing. Try again (a new name is chosen each time).`, e.details);
    }
    throw e;
  }
}

/**
 * Sets a Deployment's replica count with a JSON merge patch. `dep` must be this function's, as just
 * read; the patch carries its uid, so a Deployment replaced meanwhile by someone else's of the same
 * name is refused by the API server instead of changed.
 */
export async function scaleOwned(kc: KubeConfig, fn: string, dep: LabelledObject, replicas: number): Promise<void> {
  await mergePatchOwned(kc, 'Deployment', fn, dep, { spec: { replicas } }, 'scale');
}

/** Sets (string) or removes (null) annotations on an object of this function, as just read. */
export async function annotateOwned(kc: KubeConfig, kind: string, fn: string, obj: LabelledObject, annotations: Record<string, string | null>): Promise<void> {
  await mergePatchOwned(kc, kind, fn, obj, { metadata: { annotations } }, 'annotate');
}

/**
 * A JSON merge patch of a few fields of an object of this function. `obj` must be ours, as just read;
 * the patch carries its uid, so an object replaced meanwhile by someone else's of the same name is
 * refused by the API server instead of changed.
 */
async function mergePatchOwned(kc: KubeConfig, kind: string, fn: string, obj: LabelledObject, body: Record<string, unknown>, verb: string): Promise<void> {
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace ?? '';
  if (!isOurs(obj, fn) || !obj.metadata?.uid) throw notOwnedError(`${verb} ${kind} "${name}"`, fn, [foreignObject(kind, ns, obj, fn)]);
  const c = collectionOfKind(kind, ns);
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const patch = (uid: string) =>
    kubeJson(
      kc,
      {
        method: 'PATCH',
        path: `${c.path}/${encodeURIComponent(name)}`,
        query: { fieldManager: FIELD_MANAGER },
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { ...body, metadata: { ...meta, uid } },
        timeoutMs: TIMEOUT_MS,
      },
      { verb: 'patch', resource: c.resource, namespace: ns },
    );
  try {
    await patch(obj.metadata.uid);
  } catch (e) {
    // A uid mismatch (the object was replaced) is 409 or 422 depending on the API server's version.
    if (!(e instanceof FuncdeckError && (e.code === 'CONFLICT' || e.code === 'INVALID_SPEC'))) throw e;
    const found = await readOwned(kc, kind, ns, name, fn);
    if (found.state === 'foreign') throw notOwnedError(`${verb} ${kind} "${name}"`, fn, [foreignObject(kind, ns, found.obj, fn)]);
    if (found.state === 'absent' || found.obj.metadata?.uid === obj.metadata.uid) throw e;
    await patch(found.obj.metadata!.uid!);
  }
}

export type DeleteOutcome = 'deleted' | 'absent' | 'foreign';

/**
 * Deletes one object that is this function's, as just read: the request carries its uid as a
 * precondition, so an object replaced meanwhile (by anyone) is not deleted. Dependents go in the background.
 */
export async function deleteOwned(kc: KubeConfig, kind: string, fn: string, obj: LabelledObject): Promise<DeleteOutcome> {
  if (!isOurs(obj, fn) || !obj.metadata?.uid) return 'foreign';
  const name = obj.metadata.name ?? '';
  const ns = obj.metadata.namespace ?? '';
  const c = collectionOfKind(kind, ns);
  try {
    await kubeJson(
      kc,
      {
        method: 'DELETE',
        path: `${c.path}/${encodeURIComponent(name)}`,
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } },
        timeoutMs: TIMEOUT_MS,
      },
      { verb: 'delete', resource: c.resource, namespace: ns },
    );
    return 'deleted';
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'NOT_FOUND') return 'absent';
    if (e instanceof FuncdeckError && e.code === 'CONFLICT') {
      // Replaced since it was read: delete the new one only if it is ours too.
      const found = await readOwned(kc, kind, ns, name, fn);
      if (found.state !== 'ours') return found.state;
      if (found.obj.metadata?.uid === obj.metadata.uid) throw e;
      return deleteOwned(kc, kind, fn, found.obj);
    }
    throw e;
  }
}

/** Deletes the object of that name if it is this function's; someone else's is left alone ('foreign'). */
export async function deleteOwnedByName(kc: KubeConfig, kind: string, ns: string, name: string, fn: string): Promise<DeleteOutcome> {
  const found = await readOwned(kc, kind, ns, name, fn);
  return found.state === 'ours' ? deleteOwned(kc, kind, fn, found.obj) : found.state;
}
