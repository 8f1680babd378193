import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { kubeJson } from '../../electron/engine/kube/http';
import { cluster, sleep } from './support-observe';

/**
 * CRDs installed for one test file and removed after it. A CRD is cluster-wide: one already there
 * that a test did not install (a real kubeless or Knative) is never touched, and the test says so.
 */
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const TEST_LABEL = 'funcdeck.dev/test-crd';

interface Crd {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

export function readCrds(file: string): Crd[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Crd & { kind?: string })
    .filter((d) => d?.kind === 'CustomResourceDefinition');
}

async function get(name: string): Promise<Crd | null> {
  try {
    return await kubeJson<Crd>(cluster.kc, { path: `${CRDS}/${name}`, timeoutMs: 20_000 }, { verb: 'get', resource: 'customresourcedefinitions' });
  } catch {
    return null;
  }
}

/** Installs the CRDs (labelled as a test's) and waits until each is Established. Returns their names. */
export async function installCrds(crds: Crd[], run: string): Promise<string[]> {
  for (const crd of crds) {
    const existing = await get(crd.metadata.name);
    if (existing && !existing.metadata.labels?.[TEST_LABEL]) {
      throw new Error(`CRD ${crd.metadata.name} exists and was not installed by a test; this test leaves it alone and cannot run here.`);
    }
    if (existing) await removeCrds([crd.metadata.name]); // left by an interrupted run
    const body = { ...crd, metadata: { ...crd.metadata, labels: { ...(crd.metadata.labels ?? {}), [TEST_LABEL]: run } } };
    await kubeJson(cluster.kc, { method: 'POST', path: CRDS, body, timeoutMs: 30_000 }, { verb: 'create', resource: 'customresourcedefinitions' });
  }
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const now = await get(crd.metadata.name);
      if (now?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} did not become Established within 60 s`);
      await sleep(200);
    }
  }
  // Discovery follows a moment later.
  await sleep(1500);
  return crds.map((c) => c.metadata.name);
}

/** Deletes test CRDs by name (only those carrying the test label) and waits until they are gone. */
export async function removeCrds(names: string[]): Promise<void> {
  for (const name of names) {
    const crd = await get(name);
    if (!crd?.metadata.labels?.[TEST_LABEL]) continue;
    await kubeJson(cluster.kc, { method: 'DELETE', path: `${CRDS}/${name}`, timeoutMs: 30_000 }, { verb: 'delete', resource: 'customresourcedefinitions' }).catch(() => undefined);
  }
  const deadline = Date.now() + 60_000;
  for (const name of names) while ((await get(name)) && Date.now() < deadline) await sleep(250);
}
