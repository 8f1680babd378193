import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, createNamespace, deleteNamespace, eventually } from './support-functions';
import { filesContaining, startEngine, type EngineHarness } from './support-engine';

/**
 * A function's Secret, created and edited from its settings (secrets.*), read by the function as an
 * environment variable and as a mounted file, beside someone else's ConfigMap; the value reaches the
 * cluster and the UI (on reveal) only: never the data dir (drafts, history, logs, settings) nor
 * anything the engine prints.
 */
const FN = 'sec-fn';
const MARKER = `s3cr3t-${randomBytes(12).toString('hex')}`;
const MARKER2 = `second-${randomBytes(12).toString('hex')}`;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const HANDLER = String.raw`
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const sha = (s) => (s === undefined ? null : createHash('sha256').update(s).digest('hex'));
exports.main = () => ({
  env: sha(process.env.DB_PASSWORD),
  file: sha(fs.readFileSync('/etc/db/password', 'utf8')),
  files: fs.readdirSync('/etc/db').filter((f) => !f.startsWith('..')).sort(),
  level: process.env.LOG_LEVEL ?? null,
  api: sha(process.env.APP_API_KEY),
});
`;

let ns: string;
let e: EngineHarness;

beforeAll(async () => {
  ns = await createNamespace('secrets');
  e = await startEngine(ns);
  // Someone else's objects: a ConfigMap the function reads, and a Secret it must never write.
  await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'app-settings' }, data: { LOG_LEVEL: 'debug' } } });
  await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'theirs' }, stringData: { token: 'not-ours' } } });
});
afterAll(async () => {
  await e?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('secrets of a function', () => {
  it('are created with this function’s labels and read by it as env and as files', async () => {
    const saved = await e.call('secrets.save', { function: FN, secret: 'sec-fn-db', entries: [{ key: 'password', value: MARKER }, { key: 'api-key', value: MARKER2 }] });
    expect(saved).toEqual({ name: 'sec-fn-db', keys: ['api-key', 'password'], ours: true });
    const secret = await core.readNamespacedSecret({ name: 'sec-fn-db', namespace: ns });
    expect(secret.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': FN });
    expect(Buffer.from(secret.data!.password!, 'base64').toString()).toBe(MARKER);

    const targets = await e.call('secrets.targets', { function: FN });
    expect(targets.secrets).toEqual(expect.arrayContaining([{ name: 'sec-fn-db', keys: ['api-key', 'password'], ours: true }, { name: 'theirs', keys: ['token'], ours: false }]));
    expect(targets.configMaps).toEqual([{ name: 'app-settings', keys: ['LOG_LEVEL'] }]);

    const spec = {
      name: FN,
      runtime: 'nodejs' as const,
      handler: 'handler.main',
      files: [{ path: 'handler.js', content: HANDLER }],
      envFrom: [
        { from: 'secret' as const, name: 'sec-fn-db', key: 'password', as: 'DB_PASSWORD' },
        { from: 'secret' as const, name: 'sec-fn-db', key: 'api-key', as: 'APP_API_KEY' },
        { from: 'configMap' as const, name: 'app-settings' },
      ],
      mounts: [{ from: 'secret' as const, name: 'sec-fn-db', path: '/etc/db' }],
    };
    // The draft holds the references only.
    await e.call('drafts.save', { context: (await e.call('clusters.selection', {}))!.context, namespace: ns, name: FN, spec });
    const deployed = await e.call('functions.deploy', { spec, wait: true });
    expect(deployed.ready).toBe(true);

    const answer = await eventually(async () => {
      const r = await e.call('invoke.send', { function: FN, method: 'GET', timeoutMs: 10_000 });
      expect(r.status).toBe(200);
      return JSON.parse(r.body.content) as Record<string, unknown>;
    });
    expect(answer).toEqual({ env: sha(MARKER), file: sha(MARKER), files: ['api-key', 'password'], level: 'debug', api: sha(MARKER2) });
  });

  it('shows a value only when asked, keeps values not re-entered, and removes keys left out', async () => {
    expect(await e.call('secrets.reveal', { function: FN, secret: 'sec-fn-db', key: 'password' })).toEqual({ value: MARKER, encoding: 'utf8' });
    const edited = await e.call('secrets.save', { function: FN, secret: 'sec-fn-db', entries: [{ key: 'password' }, { key: 'region', value: 'eu-1' }] });
    expect(edited.keys).toEqual(['password', 'region']);
    expect(await e.call('secrets.reveal', { function: FN, secret: 'sec-fn-db', key: 'password' })).toEqual({ value: MARKER, encoding: 'utf8' });
    await expect(e.call('secrets.save', { function: FN, secret: 'sec-fn-db', entries: [{ key: 'new-key' }] })).rejects.toMatchObject({ code: 'INVALID_SPEC', message: expect.stringContaining('"new-key" is new') });
  });

  it("never writes, shows or deletes someone else's Secret", async () => {
    await expect(e.call('secrets.save', { function: FN, secret: 'theirs', entries: [{ key: 'token', value: 'mine' }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Secret "theirs" (it has no Funcdeck labels'),
    });
    await expect(e.call('secrets.reveal', { function: FN, secret: 'theirs', key: 'token' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(e.call('secrets.delete', { function: FN, secret: 'theirs' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const theirs = await core.readNamespacedSecret({ name: 'theirs', namespace: ns });
    expect(Buffer.from(theirs.data!.token!, 'base64').toString()).toBe('not-ours');
    expect(theirs.metadata?.labels ?? {}).toEqual({});
  });

  it('left no value in the data dir or in anything the engine printed', async () => {
    const needles = [MARKER, MARKER2, Buffer.from(MARKER).toString('base64'), Buffer.from(MARKER2).toString('base64')];
    // History was written by the invokes above; the draft by drafts.save.
    expect((await e.call('invoke.history', { function: FN })).length).toBeGreaterThan(0);
    expect(filesContaining(e.dataDir, ['sec-fn-db']).length).toBeGreaterThan(0); // the draft names the Secret: the scan sees the files
    expect(filesContaining(e.dataDir, needles)).toEqual([]);
    expect(e.output.filter((line) => needles.some((n) => line.includes(n)))).toEqual([]);
  });

  it('outlive the function (its values exist nowhere else), and its own Secret can be deleted', async () => {
    await e.call('functions.delete', { name: FN });
    expect((await core.readNamespacedSecret({ name: 'sec-fn-db', namespace: ns })).metadata?.labels).toMatchObject({ 'funcdeck.dev/function': FN });
    expect(await e.call('secrets.delete', { function: FN, secret: 'sec-fn-db' })).toEqual({ deleted: true });
    await expect(core.readNamespacedSecret({ name: 'sec-fn-db', namespace: ns })).rejects.toBeTruthy();
  });
});
