import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../../shared/contract/errors';
import type { KubelessListing } from '../../../../shared/contract/interop';
import { kubeJson } from '../../kube/http';
import { TRIGGER_KINDS, triggers, type KubelessObject } from './triggers';

/**
 * kubeless objects read from a cluster that still has its CRDs (kubeless.io/v1beta1): the Functions
 * of one namespace and every trigger kind whose CRD is there. Read only; nothing is written.
 */

const GROUP = '/apis/kubeless.io/v1beta1';
const PLURAL: Record<string, string> = {
  Function: 'functions',
  CronJobTrigger: 'cronjobtriggers',
  HTTPTrigger: 'httptriggers',
  KafkaTrigger: 'kafkatriggers',
  NATSTrigger: 'natstriggers',
  KinesisTrigger: 'kinesistriggers',
};

/** The kinds the cluster serves in kubeless.io/v1beta1, or why it cannot say. */
async function servedKinds(kc: KubeConfig): Promise<{ kinds: Set<string> } | { reason: string }> {
  try {
    const list = await kubeJson<{ resources?: Array<{ kind?: string; name?: string }> }>(kc, { path: GROUP, timeoutMs: 10_000 }, { verb: 'get', resource: 'kubeless.io/v1beta1' });
    return { kinds: new Set((list.resources ?? []).filter((r) => !r.name?.includes('/')).map((r) => r.kind ?? '')) };
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'NOT_FOUND') return { reason: 'This cluster has no kubeless CRDs (kubeless.io/v1beta1); import from a YAML file or pasted text instead.' };
    throw e;
  }
}

async function listKind(kc: KubeConfig, ns: string, kind: string): Promise<KubelessObject[]> {
  const list = await kubeJson<{ items?: KubelessObject[] }>(
    kc,
    { path: `${GROUP}/namespaces/${encodeURIComponent(ns)}/${PLURAL[kind]}`, timeoutMs: 20_000 },
    { verb: 'list', resource: `${PLURAL[kind]}.kubeless.io`, namespace: ns },
  );
  // Lists leave out each item's kind and apiVersion.
  return (list.items ?? []).map((o) => ({ ...o, apiVersion: 'kubeless.io/v1beta1', kind }));
}

/** Every kubeless object of the namespace: Functions and the triggers of each kind the cluster serves. */
export async function readKubelessObjects(kc: KubeConfig, ns: string): Promise<{ objects: KubelessObject[] } | { reason: string }> {
  const served = await servedKinds(kc);
  if ('reason' in served) return served;
  if (!served.kinds.has('Function')) return { reason: 'This cluster serves kubeless.io/v1beta1 but not its Function kind.' };
  const kinds = ['Function', ...TRIGGER_KINDS.filter((k) => served.kinds.has(k))];
  const lists = await Promise.all(kinds.map((k) => listKind(kc, ns, k)));
  return { objects: lists.flat() };
}

export async function listKubeless(kc: KubeConfig, ns: string): Promise<KubelessListing> {
  let read;
  try {
    read = await readKubelessObjects(kc, ns);
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'FORBIDDEN') return { namespace: ns, available: false, reason: `Your credentials may not list kubeless objects here: ${e.message}`, functions: [] };
    throw e;
  }
  if ('reason' in read) return { namespace: ns, available: false, reason: read.reason, functions: [] };
  const fns = read.objects.filter((o) => o.kind === 'Function');
  const others = read.objects.filter((o) => o.kind !== 'Function');
  return {
    namespace: ns,
    available: true,
    reason: null,
    functions: fns
      .map((f) => ({
        name: f.metadata?.name ?? '',
        runtime: typeof f.spec?.runtime === 'string' ? f.spec.runtime : '',
        handler: typeof f.spec?.handler === 'string' ? f.spec.handler : '',
        triggers: others
          .filter((t) => triggers(t, { name: f.metadata?.name ?? '', namespace: ns, labels: f.metadata?.labels ?? {} }))
          .map((t) => `${t.kind} ${t.metadata?.name ?? ''}`),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
