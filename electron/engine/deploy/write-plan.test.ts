import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFunction } from '../build/build';
import { cronJob } from '../cron/manifest';
import { parseSpec } from '../functions/spec';
import { applyRevision } from './apply-revision';
import { fakeApiServer, seed, type FakeApiServer } from './fake-api-server.test-support';

const OURS = { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'hello' };
const P = {
  svc: '/api/v1/namespaces/ns/services/hello',
  cm: '/api/v1/namespaces/ns/configmaps/hello-r1',
  dep: '/apis/apps/v1/namespaces/ns/deployments/hello-r1',
  cron: '/apis/batch/v1/namespaces/ns/cronjobs/hello-cron',
};
const none = { revisions: [], service: null, foreignService: null, serving: null };

let fake: FakeApiServer;
beforeEach(async () => {
  fake = await fakeApiServer();
});
afterEach(async () => {
  await fake.close();
});

async function input(files = [{ path: 'handler.js', content: 'exports.main = () => 1;\n' }]) {
  const spec = parseSpec({ name: 'hello', runtime: 'nodejs', handler: 'handler.main', files }).spec!;
  const build = await buildFunction(spec, 'img:1');
  return { namespace: 'ns', spec, build, revision: 1, image: 'img:1', created: '2026-01-01T00:00:00Z' };
}
const cron = () => cronJob('ns', 'hello', { schedule: '* * * * *', payload: '', contentType: 'application/json' }, 'img:1', 5);
const writes = () => fake.requests.filter((r) => r.method !== 'GET');

describe('a deploy’s writes (pre-flight, apply, undo)', () => {
  it('reads every object it would write first, and writes nothing when any is someone else’s, naming each', async () => {
    seed(fake, P.svc, 'hello', {});
    seed(fake, P.cron, 'hello-cron', { 'app.kubernetes.io/managed-by': 'funcdeck' });
    const e = await applyRevision(fake.kc, await input(), cron(), none).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'CONFLICT', details: { notOwned: [{ kind: 'Service', name: 'hello' }, { kind: 'CronJob', name: 'hello-cron' }] } });
    expect(new Set(fake.requests.filter((r) => r.method === 'GET').map((r) => r.path))).toEqual(new Set(Object.values(P)));
    expect(writes()).toEqual([]);
  });

  it('checks the Service even when only the rollout will write it', async () => {
    seed(fake, P.svc, 'hello', { 'funcdeck.dev/function': 'hello' });
    const objs = { ...none, service: fake.objects.get(P.svc)! };
    await expect(applyRevision(fake.kc, await input(), null, objs)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(writes()).toEqual([]);
  });

  it('deletes its own CronJob when the spec has none, and leaves someone else’s alone', async () => {
    seed(fake, P.cron, 'hello-cron', OURS);
    await applyRevision(fake.kc, await input(), null, none);
    expect(fake.objects.has(P.cron)).toBe(false);
    seed(fake, P.cron, 'hello-cron', {});
    const r = await applyRevision(fake.kc, await input(), null, none);
    expect(r.leftAlone).toEqual([expect.objectContaining({ kind: 'CronJob', name: 'hello-cron' })]);
    expect(fake.objects.has(P.cron)).toBe(true);
  });

  it('when a write is refused, deletes what it created (not what existed) and passes the error on', async () => {
    seed(fake, P.cm, 'hello-r1', OURS); // existed before: stays
    fake.refuse.set(P.cron, 403);
    await expect(applyRevision(fake.kc, await input(), cron(), none)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([...fake.objects.keys()]).toEqual([P.cm]);
    expect(writes().filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([P.svc, P.dep]);
  });

  it('a lone surrogate in a file is INVALID_SPEC naming the file and line, before any request', async () => {
    const i = await input([
      { path: 'handler.js', content: 'exports.main = () => 1;\n' },
      { path: 'notes.txt', content: 'one\ntwo\nthree' },
    ]);
    // Spec validation refuses this already (functions/spec.ts); the apply is the second net.
    for (const f of [...i.spec.files, ...i.build.files]) if (f.path === 'notes.txt') f.content = 'one\ntwo\nth\ud800ree';
    await expect(applyRevision(fake.kc, i, null, none)).rejects.toMatchObject({ code: 'INVALID_SPEC', message: expect.stringMatching(/^notes\.txt:3:3 /), details: { file: 'notes.txt', line: 3, column: 3 } });
    expect(fake.requests).toEqual([]);
  });
});
