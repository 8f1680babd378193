import fs from 'node:fs/promises';
import { getEventListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiConnection } from '../kube/api-connection';
import { LogSession } from './session';
import { LogStore } from './store';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true }))));

/** A context on a closed loopback port: the session's pod watch only ever retries. */
function closedPortKc(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'session-test', cluster: 'c', user: 'u' }],
    currentContext: 'session-test',
  });
  return kc;
}

const noConn: ApiConnection = {
  server: 'http://127.0.0.1:1',
  request: () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
  destroy: () => undefined,
};

describe('LogSession', () => {
  it('lets go of the target signal when it stops, so sessions opened and closed in one context are not kept until the switch', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-session-'));
    dirs.push(dir);
    const target = new AbortController(); // lives as long as the user stays on this context
    const kc = closedPortKc();
    for (let i = 0; i < 3; i++) {
      const session = new LogSession({ target: { kc, namespace: 'demo' }, conn: noConn, store: new LogStore(path.join(dir, String(i))), fn: 'hello', tailLines: 0, signal: target.signal });
      await session.ready;
      await session.stop();
    }
    expect(getEventListeners(target.signal, 'abort')).toHaveLength(0);
  });

  it('still stops when the target signal aborts', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-session-'));
    dirs.push(dir);
    const target = new AbortController();
    const session = new LogSession({ target: { kc: closedPortKc(), namespace: 'demo' }, conn: noConn, store: new LogStore(dir), fn: 'hello', tailLines: 0, signal: target.signal });
    await session.ready;
    target.abort();
    await session.finished;
    expect(session.signal.aborted).toBe(true);
  });
});
