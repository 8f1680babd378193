import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine';
import { openSession } from '../../electron/transport/session';
import type { ClustersSnapshot, ErrorShape, ServerMessage } from '../../shared/contract';
import { devClusterStateDir, testCluster } from '../support/cluster-target';

/**
 * Cluster access against the real cluster: probes, namespaces, permissions, exec credentials, broken
 * kubeconfigs, the kubeconfig file watch and a context switch closing streams. The engine is driven
 * through a real session (the same router the UI uses), so every result is checked against the contract.
 */
const tc = testCluster();
const ns = `fd-it-clusters-${Math.random().toString(36).slice(2, 8)}`;
const core = tc.kc.makeApiClient(CoreV1Api);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-clusters-'));
const kubeconfigFile = path.join(tmp, 'config');
const brokenFile = path.join(tmp, 'broken.yaml');

type Cfg = { clusters: unknown[]; users: unknown[]; contexts: unknown[]; 'current-context'?: string; apiVersion: string; kind: string };
const base = JSON.parse(tc.kc.exportConfig()) as Cfg;
const testClusterEntry = (base.clusters as Array<{ name: string; cluster: Record<string, unknown> }>).find((c) => c.name === tc.kc.getCurrentCluster()!.name)!;
const certPem = Buffer.from(tc.kc.getCurrentUser()!.certData ?? '', 'base64').toString();
const keyPem = Buffer.from(tc.kc.getCurrentUser()!.keyData ?? '', 'base64').toString();

let closedPort = 0;
let hangServer: net.Server;
let hangPort = 0;
const extra: Cfg = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
function addContext(name: string, cluster: Record<string, unknown>, user: Record<string, unknown>, namespace?: string) {
  extra.clusters.push({ name: `${name}-cluster`, cluster });
  extra.users.push({ name: `${name}-user`, user });
  extra.contexts.push({ name, context: { cluster: `${name}-cluster`, user: `${name}-user`, ...(namespace ? { namespace } : {}) } });
}
async function writeKubeconfig() {
  const merged = {
    ...base,
    clusters: [...base.clusters, ...extra.clusters],
    users: [...base.users, ...extra.users],
    contexts: [...base.contexts, ...extra.contexts],
  };
  const t = `${kubeconfigFile}.tmp`;
  await fs.writeFile(t, JSON.stringify(merged, null, 2));
  await fs.rename(t, kubeconfigFile); // as kind and editors do: replace, not rewrite in place
}

let engine: Engine;
let dataDir: string;

/** A UI-side client over a real session: calls return {ok, value|error}; streams collect events and their end. */
function client(e: Engine) {
  const pending = new Map<string, (m: ServerMessage) => void>();
  const streams = new Map<string, { events: unknown[]; ended: ErrorShape | null | undefined; endedAt?: number; wake: () => void }>();
  const session = openSession(e, (m) => {
    if (m.type === 'result') pending.get(m.id)?.(m);
    const s = streams.get(m.id);
    if (s && m.type === 'event') s.events.push(m.value);
    if (s && m.type === 'end') {
      s.ended = m.error ?? null;
      s.endedAt = performance.now();
    }
    s?.wake();
  });
  let n = 0;
  return {
    session,
    call(method: string, params: unknown = {}) {
      const id = `c${++n}`;
      // The session already validated `value` against the contract; tests read it loosely.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return new Promise<{ ok: boolean; value?: any; error?: ErrorShape }>((resolve) => {
        pending.set(id, (m) => resolve(m.type === 'result' && m.ok ? { ok: true, value: m.value } : { ok: false, error: (m as { error: ErrorShape }).error }));
        void session.receive(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    subscribe(stream: string, params: unknown = {}) {
      const id = `s${++n}`;
      let waiters: Array<() => void> = [];
      const s = { events: [] as unknown[], ended: undefined as ErrorShape | null | undefined, endedAt: undefined as number | undefined, wake: () => { const w = waiters; waiters = []; w.forEach((f) => f()); } };
      streams.set(id, s);
      void session.receive(JSON.stringify({ type: 'subscribe', id, stream, params }));
      const until = async <T>(pred: () => T | undefined | false, ms = 20_000): Promise<T> => {
        const deadline = Date.now() + ms;
        for (;;) {
          const v = pred();
          if (v) return v;
          if (Date.now() > deadline) throw new Error(`timed out waiting on ${stream}; events: ${JSON.stringify(s.events.slice(-2)).slice(0, 2000)}`);
          await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
        }
      };
      return { s, until, unsubscribe: () => session.receive(JSON.stringify({ type: 'unsubscribe', id })) };
    },
  };
}

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  // A port nothing listens on, and a server that accepts connections but never answers.
  // (The hanging server is opened first so the closed port cannot be handed to it.)
  hangServer = net.createServer(() => undefined);
  await new Promise<void>((r) => hangServer.listen(0, '127.0.0.1', r));
  hangPort = (hangServer.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  expect(closedPort).not.toBe(hangPort);

  const ca = testClusterEntry.cluster;
  addContext('fd-dead', { server: `https://127.0.0.1:${closedPort}` }, { token: 'x' });
  addContext('fd-hang', { server: `https://127.0.0.1:${hangPort}`, 'certificate-authority-data': ca['certificate-authority-data'] }, { token: 'x' });
  addContext('fd-badtoken', ca, { token: 'not-a-valid-token' });
  addContext('fd-nouser', ca, {});
  (extra.contexts as Array<{ context: { user: string } }>).at(-1)!.context.user = 'missing-user';

  // A ServiceAccount with no RBAC at all, and a short-lived token for it from the TokenRequest API.
  await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'nobody' } } });
  const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'nobody', body: { spec: { expirationSeconds: 600, audiences: [] } } });
  addContext('fd-nobody', ca, { token: tr.status!.token }, ns);

  // An exec credential plugin (relative path, as kubectl allows) printing the cluster's client cert.
  if (certPem && keyPem) {
    await fs.writeFile(
      path.join(tmp, 'cred.json'),
      JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: certPem, clientKeyData: keyPem } }),
    );
    await fs.writeFile(path.join(tmp, 'exec-plugin.sh'), `#!/bin/sh\necho ran >> "${tmp}/exec-calls"\ncat "${tmp}/cred.json"\n`, { mode: 0o755 });
    addContext('fd-exec', ca, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './exec-plugin.sh', interactiveMode: 'Never' } });
  }
  // An expired client certificate, signed by the dev cluster's own CA (validity 2020-01-01..02).
  if (tc.devCluster) {
    const pki = path.join(devClusterStateDir(), 'pki');
    const d = path.join(tmp, 'expired');
    await fs.mkdir(d);
    await fs.writeFile(path.join(d, 'index.txt'), '');
    await fs.writeFile(path.join(d, 'serial'), '01\n');
    await fs.writeFile(
      path.join(d, 'ca.cnf'),
      '[ca]\ndefault_ca=x\n[x]\ndatabase=index.txt\nserial=serial\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n',
    );
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
    run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'u.key', '-subj', '/CN=fd-expired', '-out', 'u.csr']);
    run(['ca', '-batch', '-config', 'ca.cnf', '-cert', path.join(pki, 'ca.crt'), '-keyfile', path.join(pki, 'ca.key'), '-in', 'u.csr', '-out', 'u.crt', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext']);
    addContext('fd-expired', testClusterEntry.cluster, { 'client-certificate': 'expired/u.crt', 'client-key': 'expired/u.key' });
  }
  await writeKubeconfig();
  await fs.writeFile(brokenFile, 'clusters: [\n  - oops: {');

  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-data-'));
  const env = { ...process.env, KUBECONFIG: [kubeconfigFile, brokenFile].join(path.delimiter), HOME: tmp };
  engine = createEngine({ mode: 'web', version: 'test', env, homeDir: tmp, dataDir });
});

afterAll(async () => {
  await engine?.dispose();
  hangServer?.close();
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
  await fs.rm(tmp, { recursive: true, force: true });
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('clusters (real cluster)', () => {
  it('probes the test cluster: reachable, with its version and latency', async () => {
    const c = client(engine);
    const r = await c.call('clusters.probe', { context: tc.context });
    expect(r.ok).toBe(true);
    expect(r.value.reachable).toBe(true);
    expect(r.value.serverVersion).toMatch(/^v1\.\d+/);
    expect(r.value.latencyMs).toBeGreaterThan(0);
    console.log(`probe ${tc.context}: ${r.value.serverVersion} in ${r.value.latencyMs} ms`);
  });

  it('an unreachable or hanging cluster answers CLUSTER_UNREACHABLE quickly and blocks nothing else', async () => {
    const c = client(engine);
    const t0 = performance.now();
    const dead = c.call('clusters.probe', { context: 'fd-dead' }).then((r) => ({ r, ms: performance.now() - t0 }));
    const hang = c.call('clusters.probe', { context: 'fd-hang' }).then((r) => ({ r, ms: performance.now() - t0 }));
    const good = await c.call('clusters.probe', { context: tc.context });
    const goodMs = performance.now() - t0;
    const nsList = await c.call('namespaces.list', { context: tc.context });
    const othersMs = performance.now() - t0;
    const d = await dead;
    const h = await hang;
    console.log(`closed port: ${d.ms.toFixed(0)} ms; hanging server: ${h.ms.toFixed(0)} ms; meanwhile good probe ${goodMs.toFixed(0)} ms, namespaces ${othersMs.toFixed(0)} ms`);
    expect(good.value.reachable).toBe(true);
    expect(nsList.ok).toBe(true);
    expect(othersMs).toBeLessThan(h.ms); // answered while the hanging probe was still waiting
    for (const { r, ms } of [d, h]) {
      expect(r.value.reachable).toBe(false);
      expect(r.value.error.code).toBe('CLUSTER_UNREACHABLE');
      expect(r.value.error.message).toMatch(/Cannot reach https:\/\/127\.0\.0\.1:\d+/);
      expect(r.value.error.message).toMatch(/npm run cluster:up/);
      expect(ms).toBeLessThan(5000);
    }
    expect(d.ms).toBeLessThan(2500); // refused at once, no waiting for the 3 s deadline
    expect(h.ms).toBeGreaterThanOrEqual(2900); // the deadline, not longer
    // Calls that need the cluster fail the same way, with the typed error.
    const t1 = performance.now();
    const listDead = await c.call('namespaces.list', { context: 'fd-dead' });
    expect(listDead.error?.code).toBe('CLUSTER_UNREACHABLE');
    expect(performance.now() - t1).toBeLessThan(2500);
  });

  it('rejected credentials are UNAUTHORIZED; a user without RBAC gets FORBIDDEN naming verb and resource', async () => {
    const c = client(engine);
    const bad = await c.call('clusters.probe', { context: 'fd-badtoken' });
    expect(bad.value.reachable).toBe(false);
    expect(bad.value.error.code).toBe('UNAUTHORIZED');
    expect(bad.value.error.message).toMatch(/refresh|Refresh/);

    if (tc.devCluster) {
      // An expired client certificate (relative paths resolved against the kubeconfig's folder): the message gives the date.
      const expired = await c.call('clusters.probe', { context: 'fd-expired' });
      expect(expired.value.error.code).toBe('UNAUTHORIZED');
      expect(expired.value.error.message).toMatch(/client certificate of user "fd-expired-user" expired on 2020-01-02/);
    }

    const list = await c.call('namespaces.list', { context: 'fd-nobody' });
    expect(list.ok).toBe(false);
    expect(list.error!.code).toBe('FORBIDDEN');
    expect(list.error!.details).toMatchObject({ verb: 'list', resource: 'namespaces' });
    expect(list.error!.message).toMatch(/not allowed to list namespaces/);
    const create = await c.call('namespaces.create', { context: 'fd-nobody', name: `${ns}-x` });
    expect(create.error!.code).toBe('FORBIDDEN');
    expect(create.error!.details).toMatchObject({ verb: 'create', resource: 'namespaces' });

    // A stream for that user stops at once with the typed error (no retry loop).
    const sel = await c.call('clusters.select', { context: 'fd-nobody', namespace: ns });
    expect(sel.ok).toBe(true);
    const w = c.subscribe('events.watch', {});
    const end = await w.until(() => w.s.ended !== undefined && { e: w.s.ended });
    expect(end.e?.code).toBe('FORBIDDEN');
    expect(end.e?.details).toMatchObject({ verb: 'list', resource: 'events', namespace: ns });
    expect(end.e?.message).toMatch(new RegExp(`list events in namespace "${ns}"`));
  });

  it('exec-plugin credentials work as kubectl runs them (relative command, ExecCredential with a client cert)', async (ctx) => {
    if (!certPem) return ctx.skip();
    const c = client(engine);
    const probe = await c.call('clusters.probe', { context: 'fd-exec' });
    expect(probe.value.reachable).toBe(true);
    const list = await c.call('namespaces.list', { context: 'fd-exec' });
    expect(list.ok).toBe(true);
    expect(list.value.map((n: { name: string }) => n.name)).toContain(ns);
    // It ran, and once served both calls: a credential without expirationTimestamp is kept until the server rejects it.
    const calls = (await fs.readFile(path.join(tmp, 'exec-calls'), 'utf8')).trim().split('\n');
    expect(calls.length).toBe(1);
  });

  it('lists and creates namespaces; invalid and reserved names are refused with a reason', async () => {
    const c = client(engine);
    await c.call('clusters.select', { context: tc.context, namespace: ns });
    const before = await c.call('namespaces.list', {});
    expect(before.value.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(['default', 'kube-system', ns]));
    const name = `${ns}-made`;
    try {
      const made = await c.call('namespaces.create', { name });
      expect(made.value).toMatchObject({ name, phase: 'Active' });
      const again = await c.call('namespaces.create', { name });
      expect(again.error?.code).toBe('CONFLICT');
      const after = await c.call('namespaces.list', {});
      expect(after.value.map((n: { name: string }) => n.name)).toContain(name);
    } finally {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    const invalid = await c.call('namespaces.create', { name: 'Bad_Name' });
    expect(invalid.error?.code).toBe('BAD_REQUEST');
    expect(invalid.error?.message).toMatch(/lower-case/);
    expect((await c.call('namespaces.create', { name: 'kube-mine' })).error?.message).toMatch(/reserved/);
  });

  it('a broken kubeconfig file or a context with a missing user gives a clear error; the good contexts still work', async () => {
    const c = client(engine);
    const state = (await c.call('clusters.kubeconfig')).value;
    expect(state.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: brokenFile, message: expect.stringMatching(/Not valid YAML/) })]));
    expect(state.contexts.map((x: { name: string }) => x.name)).toContain(tc.context);
    const noUser = await c.call('clusters.select', { context: 'fd-nouser', namespace: 'default' });
    expect(noUser.error?.code).toBe('KUBECONFIG_INVALID');
    expect(noUser.error?.message).toMatch(/user "missing-user"/);
    const missing = await c.call('clusters.select', { context: 'no-such-context', namespace: 'default' });
    expect(missing.error?.code).toBe('CONTEXT_NOT_FOUND');
    expect(missing.error?.message).toContain(brokenFile); // says which file could not be read
  });

  it('the selection is the app\'s own state: persisted in dataDir, restored by a new engine, kubeconfig untouched', async () => {
    const hash = async () => createHash('sha256').update(await fs.readFile(kubeconfigFile)).digest('hex');
    const before = await hash();
    const c = client(engine);
    const sel = await c.call('clusters.select', { context: tc.context, namespace: ns });
    expect(sel.value).toMatchObject({ context: tc.context, namespace: ns, flavor: tc.devCluster ? 'funcdeck-dev' : expect.any(String) });
    expect(await hash()).toBe(before);
    expect(JSON.parse(await fs.readFile(path.join(dataDir, 'selection.json'), 'utf8'))).toEqual({ context: tc.context, namespace: ns });
    const second = createEngine({ mode: 'web', version: 'test', env: { ...process.env, KUBECONFIG: kubeconfigFile, HOME: tmp }, homeDir: tmp, dataDir });
    expect(await client(second).call('clusters.selection')).toMatchObject({ ok: true, value: { context: tc.context, namespace: ns } });
    await second.dispose();
  });

  it('clusters.watch pushes the kubeconfig with per-context probes, and picks up an added context without a restart', async () => {
    const c = client(engine);
    const w = c.subscribe('clusters.watch', {});
    const last = () => w.s.events.at(-1) as ClustersSnapshot | undefined;
    const first = await w.until(() => last());
    expect(first.kubeconfig.contexts.map((x) => x.name)).toContain(tc.context);
    await w.until(() => last()?.probes[tc.context]?.reachable === true && last()?.probes['fd-dead']);
    expect(last()!.probes['fd-dead']!.error?.code).toBe('CLUSTER_UNREACHABLE');

    addContext('fd-added', testClusterEntry.cluster, { 'client-certificate-data': tc.kc.getCurrentUser()!.certData, 'client-key-data': tc.kc.getCurrentUser()!.keyData });
    const t0 = performance.now();
    await writeKubeconfig();
    await w.until(() => last()?.kubeconfig.contexts.some((x) => x.name === 'fd-added'));
    const seenMs = performance.now() - t0;
    const probed = await w.until(() => last()?.probes['fd-added']);
    console.log(`added context seen after ${seenMs.toFixed(0)} ms; probed reachable=${probed.reachable}`);
    expect(seenMs).toBeLessThan(5000); // seen by the file watch, no restart or poll of minutes
    if (certPem) expect(probed.reachable).toBe(true);
    expect(w.s.ended).toBeUndefined();
    await w.unsubscribe();
  });

  it('switching context or namespace ends every stream of the old selection, and only those', async () => {
    const c = client(engine);
    await c.call('clusters.select', { context: tc.context, namespace: ns });
    const events = c.subscribe('events.watch', {});
    const clusters = c.subscribe('clusters.watch', {});
    await events.until(() => events.s.events.length > 0);
    await clusters.until(() => clusters.s.events.length > 0);
    expect(c.session.activeStreams).toBe(2);
    const t0 = performance.now();
    const sel = await c.call('clusters.select', { context: tc.context, namespace: 'default' });
    expect(sel.ok).toBe(true);
    await events.until(() => events.s.ended !== undefined);
    console.log(`old events.watch ended ${(events.s.endedAt! - t0).toFixed(0)} ms after the switch`);
    expect(events.s.ended).toBeNull(); // ended cleanly, not with an error
    expect(events.s.endedAt! - t0).toBeLessThan(3000);
    expect(clusters.s.ended).toBeUndefined(); // not bound to a cluster target
    expect(c.session.activeStreams).toBe(1);
    await clusters.until(() => (clusters.s.events.at(-1) as ClustersSnapshot).selection?.namespace === 'default');
    await clusters.unsubscribe();
    c.session.close();
  });
});
