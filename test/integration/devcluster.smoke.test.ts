// Smoke suite for the cluster the tests run against: the Funcdeck dev cluster
// (test/devcluster, `npm run cluster:up`) unless FUNCDECK_TEST_CONTEXT names another one, e.g. kind's.
// Namespace, ConfigMap, Deployment of the Node.js runtime image serving HTTP, Service; the API
// server's service proxy; the log API (following); Service DNS from other pods; node stats through
// the node proxy; deleting the namespace.
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, Log, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { testCluster, type TestCluster } from '../support/cluster-target';

const SERVER_JS = `
const http = require('http');
const server = http.createServer((req, res) => {
  console.log('request ' + req.method + ' ' + req.url);
  res.setHeader('content-type', 'text/plain');
  res.end('hello from funcdeck smoke ' + req.url + ' node ' + process.version + '\\n');
});
server.listen(8080, () => console.log('listening on 8080'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(500);
  }
}

function statusCode(e: unknown): number | undefined {
  const err = e as { code?: number; statusCode?: number; response?: { statusCode?: number } };
  return err?.code ?? err?.statusCode ?? err?.response?.statusCode;
}

describe('cluster smoke', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const ns = `funcdeck-smoke-${randomBytes(3).toString('hex')}`;
  let pullPolicy: 'Never' | 'IfNotPresent';
  let serviceIP = '';
  let nsDeleted = false;

  beforeAll(async () => {
    cluster = testCluster();
    kc = cluster.kc;
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    pullPolicy = cluster.devCluster ? 'Never' : 'IfNotPresent';
    await core.createNamespace({ body: { metadata: { name: ns, labels: { 'app.kubernetes.io/part-of': 'funcdeck-tests' } } } });
  });

  afterAll(async () => {
    if (!nsDeleted && core) await core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('has a Ready node whose kubelet stats are reachable through the node proxy', async () => {
    const nodes = await core.listNode();
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(ready.length).toBeGreaterThan(0);
    const name = ready[0]!.metadata!.name!;
    const raw = await core.connectGetNodeProxyWithPath({ name, path: 'stats/summary' });
    const summary = JSON.parse(typeof raw === 'string' ? raw : JSON.stringify(raw)) as { node: { nodeName: string; memory?: unknown } };
    expect(summary.node.nodeName).toBe(name);
    expect(summary.node.memory).toBeDefined();
  });

  it('serves HTTP from a Deployment of the Node.js image, through the service proxy, with followed logs', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'smoke-app' }, data: { 'server.js': SERVER_JS } } });
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'smoke' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'smoke' } },
          template: {
            metadata: { labels: { app: 'smoke' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'app',
                  image: cluster.images.nodejs,
                  imagePullPolicy: pullPolicy,
                  command: ['node', '/app/server.js'],
                  ports: [{ containerPort: 8080, name: 'http' }],
                  readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 },
                  volumeMounts: [{ name: 'app', mountPath: '/app' }],
                },
              ],
              volumes: [{ name: 'app', configMap: { name: 'smoke-app' } }],
            },
          },
        },
      },
    });
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'smoke' }, spec: { selector: { app: 'smoke' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    });
    serviceIP = svc.spec!.clusterIP!;
    expect(serviceIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await until('the smoke Deployment to be available', 120_000, async () => {
      const d = await apps.readNamespacedDeployment({ name: 'smoke', namespace: ns });
      return (d.status?.availableReplicas ?? 0) >= 1;
    });
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=smoke' });
    const pod = pods.items.find((p) => p.status?.phase === 'Running');
    expect(pod, 'a running smoke pod').toBeDefined();
    const podName = pod!.metadata!.name!;

    // follow the log, then make a request: the line it prints must arrive on the stream
    const stream = new PassThrough();
    let logText = '';
    stream.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
    const follow = await new Log(kc).log(ns, podName, 'app', stream, { follow: true, tailLines: 10 });
    try {
      await until('the log stream to start', 30_000, async () => logText.includes('listening on 8080'));
      const token = randomBytes(4).toString('hex');
      const body = await until('the service proxy to answer', 60_000, async () =>
        core.connectGetNamespacedServiceProxyWithPath({ name: 'smoke:http', namespace: ns, path: `hello-${token}` }),
      );
      expect(String(body)).toContain(`hello from funcdeck smoke /hello-${token}`);
      await until('the request line in the followed log', 30_000, async () => logText.includes(`request GET /hello-${token}`));
    } finally {
      follow.abort();
    }
  });

  async function runToCompletion(name: string, pod: V1Pod): Promise<string> {
    await core.createNamespacedPod({ namespace: ns, body: { ...pod, metadata: { name } } });
    const phase = await until(`pod ${name} to finish`, 120_000, async () => {
      const p = await core.readNamespacedPod({ name, namespace: ns });
      const ph = p.status?.phase;
      return ph === 'Succeeded' || ph === 'Failed' ? ph : undefined;
    });
    const logs = await core.readNamespacedPodLog({ name, namespace: ns });
    expect(phase, `pod ${name} logs:\n${logs}`).toBe('Succeeded');
    return logs;
  }

  it('resolves the Service by name from another pod (python image) and has the service account token mounted', async () => {
    expect(serviceIP).not.toBe('');
    const fqdn = `smoke.${ns}.svc.cluster.local`;
    const script = [
      'import os, socket, urllib.request',
      `ip = socket.gethostbyname("${fqdn}")`,
      'print("resolved", ip)',
      `print("body", urllib.request.urlopen("http://${fqdn}/from-python", timeout=10).read().decode().strip())`,
      'print("token", os.path.getsize("/var/run/secrets/kubernetes.io/serviceaccount/token") > 0)',
    ].join('\n');
    const logs = await runToCompletion('dns-python', {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'client', image: cluster.images.python, imagePullPolicy: pullPolicy, command: ['python3', '-c', script] }],
      },
    });
    expect(logs).toContain(`resolved ${serviceIP}`);
    expect(logs).toContain('body hello from funcdeck smoke /from-python');
    expect(logs).toContain('token True');
  });

  it('resolves the Service by its short name from a Node.js pod, and /bin/sh works in the image', async () => {
    const js = `require('dns').lookup('smoke', (e, a) => { if (e) { console.log('error ' + e.code); process.exit(1); }
      console.log('resolved ' + a);
      require('http').get('http://smoke/from-node', (r) => { let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => console.log('body ' + b.trim())); }); });`;
    const logs = await runToCompletion('dns-node', {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'client',
            image: cluster.images.nodejs,
            imagePullPolicy: pullPolicy,
            command: ['/bin/sh', '-c', 'echo "shell ok"; exec node -e "$JS"'],
            env: [{ name: 'JS', value: js }],
          },
        ],
      },
    });
    expect(logs).toContain('shell ok');
    expect(logs).toContain(`resolved ${serviceIP}`);
    expect(logs).toContain('body hello from funcdeck smoke /from-node');
  });

  it('deletes the namespace and everything in it', async () => {
    await core.deleteNamespace({ name: ns });
    await until(`namespace ${ns} to be gone`, 120_000, async () => {
      try {
        await core.readNamespace({ name: ns });
        return false;
      } catch (e) {
        if (statusCode(e) === 404) return true;
        throw e;
      }
    });
    nsDeleted = true;
    const pods = await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${ns}` });
    expect(pods.items).toHaveLength(0);
  });
});
