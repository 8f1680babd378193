import type { KubeConfig, V1Deployment, V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS } from '../../../shared/contract/runtime-protocol';
import { collections, getObject, listObjects } from './kube-ops';
import { FD_ANNOTATIONS, functionSelector, revisionOf } from './names';
import { foreignObject, isOurs, type ForeignObject } from './ownership';

/** The revisions of one function as the cluster has them. */
export interface FunctionObjects {
  /** Revision Deployments, newest first. */
  revisions: Array<{ number: number; checksum: string; deployment: V1Deployment }>;
  /** The function's Service, when it is ours. */
  service: V1Service | null;
  /** A Service of the function's name that is not ours (traffic cannot be routed while it is there). */
  foreignService: ForeignObject | null;
  serving: number | null;
}

export function servingRevisionOf(svc: V1Service | null | undefined): number | null {
  const fromAnnotation = Number(svc?.metadata?.annotations?.[FD_ANNOTATIONS.servingRevision]);
  if (Number.isInteger(fromAnnotation) && fromAnnotation > 0) return fromAnnotation;
  const fromSelector = Number(svc?.spec?.selector?.[LABELS.revision]);
  return Number.isInteger(fromSelector) && fromSelector > 0 ? fromSelector : null;
}

export async function readFunction(kc: KubeConfig, ns: string, fn: string): Promise<FunctionObjects> {
  const c = collections(ns);
  const [deployments, service] = await Promise.all([
    listObjects<V1Deployment>(kc, c.deployments, functionSelector(fn)),
    getObject<V1Service>(kc, c.services, fn),
  ]);
  const revisions = deployments
    .filter((d) => isOurs(d, fn))
    .map((d) => ({ number: revisionOf(d) ?? 0, checksum: d.metadata?.annotations?.[ANNOTATIONS.checksum] ?? '', deployment: d }))
    .filter((r) => r.number > 0)
    .sort((a, b) => b.number - a.number);
  const ours = isOurs(service, fn) ? service : null;
  const foreignService = service && !ours ? foreignObject('Service', ns, service, fn) : null;
  return { revisions, service: ours, foreignService, serving: servingRevisionOf(ours) };
}
