import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakePlugin, type FakePlugin } from '../../../test/support/fake-exec-plugin';
import { createApiConnection, readAll } from './api-connection';
import { kubeJson } from './http';
import { loadKubeConfig } from './load';

/**
 * Exec credential plugins as the engine runs them: under the caller's deadline, killed with their
 * whole process group, cached until they expire, one run shared by concurrent callers, and never
 * hung on when they would need a terminal. The "cluster" is a local HTTP server that wants a token.
 */
let dir: string;
let server: http.Server;
let serverUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-cred-'));
  server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ gitVersion: 'v1.36.0' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A kubeconfig file with one context per plugin, loaded for `context` as the engine loads it. */
function kubeconfigFor(plugins: Record<string, Record<string, unknown>>, context: string) {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
  const names = Object.keys(plugins);
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
      users: names.map((n) => ({ name: `${n}-user`, user: { exec: plugins[n] } })),
      contexts: names.map((n) => ({ name: n, context: { cluster: 'c', user: `${n}-user` } })),
    }),
  );
  return loadKubeConfig([file], context);
}

const version = (kc: ReturnType<typeof loadKubeConfig>, timeoutMs: number) =>
  kubeJson<{ gitVersion: string }>(kc, { path: '/version', timeoutMs }, { verb: 'get', resource: 'the server version' });

async function settle(p: FakePlugin, ms = 3000) {
  const end = Date.now() + ms;
  while (p.alive().length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe('exec credential plugins', () => {
  it('a hanging plugin: a call with a 2 s deadline answers by ~2 s with an error naming the plugin and the context, and the plugin is killed', async () => {
    const hang = fakePlugin(dir, 'hang', { name: 'aws' });
    const kc = kubeconfigFor({ prod: hang.exec() }, 'prod');
    const t0 = performance.now();
    const err = await version(kc, 2000).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/^The credential plugin `aws-fdplug\w+\.sh` for context `prod` did not answer within 2 s/),
      details: expect.objectContaining({ source: 'credentials', context: 'prod' }),
    });
    expect((err as Error).message).not.toMatch(/unreachable|Cannot reach/i);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(3500);
    expect(hang.runs()).toBe(1);
    await settle(hang);
    expect(hang.alive()).toEqual([]);
  });

  it('leaves no plugin process behind after 20 probes of a hanging plugin', async () => {
    const hang = fakePlugin(dir, 'hang');
    const kc = kubeconfigFor({ stuck: hang.exec() }, 'stuck');
    for (let i = 0; i < 20; i++) {
      const err = await version(kc, 300).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', details: expect.objectContaining({ source: 'credentials' }) });
    }
    expect(hang.runs()).toBeGreaterThanOrEqual(15); // each probe ran it (they may share a run)
    await settle(hang);
    expect(hang.alive()).toEqual([]);
  }, 30_000);

  it('a streaming connection (logs, invoke) takes its deadline from the request signal, credentials included', async () => {
    const hang = fakePlugin(dir, 'hang', { name: 'gke-auth' });
    const kc = kubeconfigFor({ dev: hang.exec() }, 'dev');
    const t0 = performance.now();
    const err = await Promise.race([
      createApiConnection(kc).then((conn) => conn.request({ path: '/version', signal: AbortSignal.timeout(1000) })),
      new Promise((r) => setTimeout(() => r('still waiting after 8 s'), 8000)),
    ]).catch((e: unknown) => e);
    // The message gives the time waited for the plugin, which starts a moment after the deadline's signal.
    expect(err).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/credential plugin `gke-auth-fdplug\w+\.sh` for context `dev` did not answer within (0\.9|1) s/) });
    expect(performance.now() - t0).toBeLessThan(3000);
    await settle(hang);
    expect(hang.alive()).toEqual([]);
  });

  it('caches the credential until its expirationTimestamp; concurrent callers share one run; KUBERNETES_EXEC_INFO is set', async () => {
    const ok = fakePlugin(dir, 'ok', { credential: { token: 'good-token' }, expiresInS: 3 });
    const kc = kubeconfigFor({ ok: ok.exec() }, 'ok');
    const answers = await Promise.all(Array.from({ length: 5 }, () => version(kc, 5000)));
    expect(answers.map((a) => a.gitVersion)).toEqual(Array(5).fill('v1.36.0'));
    expect(ok.runs()).toBe(1);
    await version(kc, 5000);
    const conn = await createApiConnection(kc);
    expect((await readAll(await conn.request({ path: '/version' }))).toString()).toContain('v1.36.0');
    conn.destroy();
    expect(ok.runs()).toBe(1);
    expect(ok.lastExecInfo()).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
    await new Promise((r) => setTimeout(r, 3200)); // past its expiry (whole seconds: at most 3 s from the run)
    await version(kc, 5000);
    expect(ok.runs()).toBe(2);
  }, 15_000);

  it('a plugin that needs a terminal (interactiveMode Always) is reported as such at once, not run', async () => {
    const p = fakePlugin(dir, 'hang', { name: 'sso-login' });
    const kc = kubeconfigFor({ sso: p.exec({ interactiveMode: 'Always' }) }, 'sso');
    const t0 = performance.now();
    const err = await version(kc, 10_000).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/credential plugin `sso-login-fdplug\w+\.sh` for context `sso` needs a terminal/) });
    expect(p.runs()).toBe(0);
  });

  it('interactiveMode IfAvailable: run without a terminal and with stdin closed, so a plugin that would prompt fails at once saying it needs one', async () => {
    const p = fakePlugin(dir, 'prompt', { name: 'sso' });
    const kc = kubeconfigFor({ sso2: p.exec({ interactiveMode: 'IfAvailable' }) }, 'sso2');
    const t0 = performance.now();
    const err = await version(kc, 10_000).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(3000); // not the 10 s deadline: nothing waited for input
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/credential plugin `sso-fdplug\w+\.sh` for context `sso2` failed .*It may need a terminal/) });
    expect(p.runs()).toBe(1);
  });

  it('a plugin that answers but leaves a process behind: that process ends with the call', async () => {
    const p = fakePlugin(dir, 'ok', { credential: { token: 'good-token' }, leaveChild: true });
    const kc = kubeconfigFor({ leaky: p.exec() }, 'leaky');
    expect((await version(kc, 5000)).gitVersion).toBe('v1.36.0');
    await settle(p);
    expect(p.alive()).toEqual([]);
  });

  it('a failing plugin: its own words, naming plugin and context; only the context being called runs its plugin', async () => {
    const bad = fakePlugin(dir, 'fail', { name: 'oidc' });
    const other = fakePlugin(dir, 'ok', { credential: { token: 'good-token' } });
    const kc = kubeconfigFor({ broken: bad.exec(), fine: other.exec() }, 'broken');
    const err = await version(kc, 5000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/credential plugin `oidc-fdplug\w+\.sh` for context `broken` failed .*token expired/) });
    expect(other.runs()).toBe(0);
  });
});
