import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../shared/contract/runtime-protocol';
import { cluster, core, createNamespace, deleteNamespace, harness, invoke, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from './support-functions';

/**
 * Functions whose handler never gives control back (a busy loop), deployed by the engine on both
 * runtimes with a 4 s timeout: the caller gets the 504 in time, the pod stays Ready and is never
 * restarted, the spinning stops, and deleting the pod of a stuck function does not wait out the
 * kubelet's grace period.
 */
let ns: string;
let h: FunctionsHarness;

const JS = "exports.main = async (event) => { if (event.extensions.request.path === '/spin') { while (true) {} } return 'ok'; };";
const PY = "def main(event, context):\n    if event['extensions']['request']['path'] == '/spin':\n        while True:\n            pass\n    return 'ok'\n";

beforeAll(async () => {
  ns = await createNamespace('stuck');
  h = harness(ns);
  await Promise.all([
    h.call('functions.deploy', { spec: nodeSpec('spin-js', JS, { timeoutSeconds: 4 }), wait: true }),
    h.call('functions.deploy', {
      spec: { name: 'spin-py', runtime: 'python' as const, handler: 'handler.main', timeoutSeconds: 4, files: [{ path: 'handler.py', content: PY }] },
      wait: true,
    }),
  ]);
});

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

async function pods(fn: string) {
  const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `${LABELS.function}=${fn}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** The runtime's own CPU counter (all its threads and worker processes), through the Service's metrics port. */
async function cpuSeconds(fn: string): Promise<number> {
  const server = cluster.kc.getCurrentCluster()!.server.replace(/\/$/, '');
  const opts: https.RequestOptions = {};
  await cluster.kc.applyToHTTPSOptions(opts);
  const text = await new Promise<string>((resolve, reject) => {
    const req = https.get(`${server}/api/v1/namespaces/${ns}/services/${fn}:metrics/proxy/metrics`, { ...opts, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('metrics did not answer within 5 s')));
    req.on('error', reject);
  });
  const m = /^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text);
  if (!m) throw new Error(`no process_cpu_seconds_total in:\n${text}`);
  return Number(m[1]);
}

describe.each(['spin-js', 'spin-py'])('%s, a handler that never yields (timeout 4 s)', (fn) => {
  it('answers 504 within 5 s, stops the spinning, stays Ready without a restart, and answers the next call', async () => {
    await invokeUntilReady(ns, fn, 1, 30_000, { path: '/' });
    const [before] = await pods(fn);
    const started = Date.now();
    const stuck = await invoke(ns, fn, { path: '/spin', timeoutMs: 20_000 });
    const answeredAt = Date.now();
    expect(stuck.status).toBe(504);
    expect(answeredAt - started).toBeLessThan(5000);

    await sleep(answeredAt + 2000 - Date.now());
    const cpu0 = await cpuSeconds(fn);
    await sleep(1000);
    expect((await cpuSeconds(fn)) - cpu0).toBeLessThan(0.15); // a spinning handler would add ~0.5 (the pod's CPU limit)

    const next = await invoke(ns, fn, { path: '/', timeoutMs: 10_000 });
    expect(next.status).toBe(200);
    expect(next.text).toBe('ok');
    const [after] = await pods(fn);
    expect(after?.metadata?.uid).toBe(before?.metadata?.uid);
    expect(after?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(after?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('lets its pod be deleted during a stuck call without waiting out the 30 s grace period', async () => {
    await invokeUntilReady(ns, fn, 1, 60_000, { path: '/' });
    const [pod] = await pods(fn);
    const name = pod!.metadata!.name!;
    const stuck = invoke(ns, fn, { path: '/spin', timeoutMs: 20_000 }).catch((e: Error) => e);
    await sleep(1000);
    const deleted = Date.now();
    await core.deleteNamespacedPod({ name, namespace: ns });
    let gone = false;
    while (!gone && Date.now() - deleted < 40_000) {
      gone = await core.readNamespacedPod({ name, namespace: ns }).then(
        () => false,
        (e: { code?: number }) => {
          if (e?.code === 404) return true;
          throw e;
        },
      );
      if (!gone) await sleep(250);
    }
    const took = Date.now() - deleted;
    const answer = await stuck;
    expect(answer instanceof Error ? answer.message : answer.status).toBe(504); // answered at its timeout, then the pod exited
    expect(took).toBeLessThan(15_000); // the kubelet's SIGKILL would come at 30 s
  });
});
