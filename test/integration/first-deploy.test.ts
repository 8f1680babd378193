import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError, type CallName, type CallParams, type CallResult, type ServerMessage } from '../../shared/contract';
import { createEngine, type Engine } from '../../electron/engine';
import { openSession, type Session } from '../../electron/transport/session';
import { cluster, createNamespace, deleteNamespace } from './support-observe';

/**
 * The README's first run: the app on the test cluster's kubeconfig with default settings and no
 * FUNCDECK_IMAGE_* in its environment, pick the context, deploy. The runtime images must come from
 * the cluster itself (on the dev cluster: its local images, found on its nodes), with no digging.
 */
let ns: string;
let engine: Engine;
let session: Session;
let home: string;
const waiting = new Map<string, (m: ServerMessage) => void>();
let n = 0;

async function call<K extends CallName>(method: K, params: CallParams<K>): Promise<CallResult<K>> {
  const id = `c${++n}`;
  const answer = await new Promise<ServerMessage>((resolve) => {
    waiting.set(id, resolve);
    void session.receive(JSON.stringify({ type: 'call', id, method, params }));
  });
  if (answer.type !== 'result') throw new Error(`unexpected ${answer.type}`);
  if (!answer.ok) throw FuncdeckError.fromShape(answer.error);
  return answer.value as CallResult<K>;
}

beforeAll(async () => {
  ns = await createNamespace('first');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-first-'));
  // A fresh user: own HOME and data folder, the kubeconfig, nothing else (no FUNCDECK_IMAGE_*).
  const env = { HOME: home, KUBECONFIG: cluster.kubeconfigPath, PATH: process.env.PATH };
  engine = createEngine({ mode: 'web', version: 'test', env, homeDir: home, dataDir: path.join(home, 'data') });
  session = openSession(engine, (m) => {
    if (m.type === 'result') waiting.get(m.id)?.(m);
  });
});
afterAll(async () => {
  session?.close();
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('first deploy with default settings', () => {
  it('finds the runtime images on the cluster and deploys a Node.js and a Python function that answer', async () => {
    expect(await call('settings.get', {})).toMatchObject({ contextImages: {} });
    await call('clusters.select', { context: cluster.context, namespace: ns });

    const images = await call('settings.images', {});
    expect(images.context).toBe(cluster.context);
    if (cluster.devCluster) {
      expect(images.runtimes.map((r) => [r.runtime, r.image, r.source])).toEqual([
        ['nodejs', cluster.images.nodejs, 'detected'],
        ['python', cluster.images.python, 'detected'],
      ]);
      expect(images.detection).toMatch(/on this cluster's nodes/);
    }
    const runtimes = await call('functions.runtimes', {});
    expect(runtimes.map((r) => r.image)).toEqual(images.runtimes.map((r) => r.image));

    const node = await call('functions.deploy', {
      spec: { name: 'first-js', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: "exports.main = async (event) => 'hello ' + event.data;\n" }] },
      wait: true,
    });
    expect(node).toMatchObject({ revision: 1, ready: true });
    const py = await call('functions.deploy', {
      spec: { name: 'first-py', runtime: 'python', handler: 'handler.main', files: [{ path: 'handler.py', content: "def main(event, context):\n    return 'hi ' + event['data'].decode()  # text arrives as bytes, as kubeless gives it\n" }] },
      wait: true,
    });
    expect(py).toMatchObject({ revision: 1, ready: true });

    const a = await call('invoke.send', { function: 'first-js', method: 'POST', body: { kind: 'text', content: 'there' } });
    expect([a.status, a.body.content]).toEqual([200, 'hello there']);
    const b = await call('invoke.send', { function: 'first-py', method: 'POST', body: { kind: 'text', content: 'there' } });
    expect([b.status, b.body.content]).toEqual([200, 'hi there']);
    const revisions = await call('revisions.list', { name: 'first-js' });
    expect(revisions.revisions[0]!.image).toBe(images.runtimes[0]!.image);
  });
});
