import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, streams, type ErrorShape, type ServerMessage } from '../../shared/contract';
import { createEngine, type Engine } from '../engine';
import { openSession, type Session } from './session';

/**
 * Random and mutated params for every call, against the real engine (offline: its kubeconfig points
 * at a port nothing listens on, so cluster calls fail fast as unreachable). Whatever arrives, the
 * answer is a typed error that says what is wrong, never INTERNAL ("a bug in Funcdeck").
 */

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const STRINGS = [
  '',
  ' ',
  'a',
  'hello',
  'Hello_World',
  '-x',
  '../../etc/passwd',
  '/',
  '__proto__',
  'constructor',
  'toString',
  'nodejs',
  'python',
  'handler.main',
  'handler.js',
  '\u0000',
  '\ud800',
  '\udfff x',
  '\u007f\u0085\u2028\ufeff\ufffe',
  '😀',
  'é€',
  '\r\n',
  'a'.repeat(300),
  'x'.repeat(70_000),
  `module.exports = ${'['.repeat(5000)}${']'.repeat(5000)};`,
  '{"a":1}',
  '@hourly',
  'default',
  'dark',
];
const NUMBERS = [0, -1, 1, 2, 0.5, -0, 1e21, -1e21, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 100, 1000, 65536, 3600];

function randomJson(r: Rng, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.next() < 0.5;
    case 2:
      return r.pick(NUMBERS);
    case 3:
      return r.pick(STRINGS);
    case 4:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(STRINGS.filter((s) => s.length < 40))] = randomJson(r, depth + 1);
      return o;
    }
  }
}

/** Replaces, deletes or adds one value somewhere inside `value` (a deep copy is changed). */
function mutate(r: Rng, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const containers: Array<Record<string, unknown> | unknown[]> = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(copy);
  if (!containers.length) return randomJson(r);
  const target = r.pick(containers);
  const keys = Object.keys(target);
  const op = r.int(3);
  if (Array.isArray(target)) {
    if (op === 0 || !keys.length) target.push(randomJson(r));
    else if (op === 1) target.splice(r.int(target.length), 1);
    else target[r.int(target.length)] = randomJson(r);
  } else if (op === 0 || !keys.length) target[r.pick(STRINGS.filter((s) => s.length < 40))] = randomJson(r);
  else if (op === 1) delete target[r.pick(keys)];
  else target[r.pick(keys)] = randomJson(r);
  return copy;
}

/** Paths of every string inside a value. */
function stringLeaves(value: unknown, at: string[] = []): string[][] {
  if (typeof value === 'string') return [at];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
}

/** Paths of every value inside a value, containers included. */
function allPaths(value: unknown, at: string[] = []): string[][] {
  if (!value || typeof value !== 'object') return at.length ? [at] : [];
  return [...(at.length ? [at] : []), ...Object.entries(value).flatMap(([k, v]) => allPaths(v, [...at, k]))];
}

function withLeaf(value: unknown, at: string[], text: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let o: Record<string, unknown> = copy;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[at[at.length - 1]!] = text;
  return copy;
}

const SPEC = {
  name: 'hello',
  runtime: 'nodejs',
  handler: 'handler.main',
  files: [{ path: 'handler.js', content: 'exports.main = async (event) => ({ echo: event.data });\n' }],
  dependencies: '',
  env: [{ name: 'GREETING', value: 'hi' }],
  size: 'S',
  timeoutSeconds: 30,
  scale: { min: 1, max: 1, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 },
  cron: { schedule: '@hourly', payload: '{}', contentType: 'application/json' },
};
const REQUEST = {
  function: 'hello',
  method: 'POST',
  path: '/items/1',
  query: [{ name: 'q', value: '1' }],
  headers: [{ name: 'X-Trace', value: 'abc' }],
  body: { kind: 'json', content: '{"a":1}' },
  timeoutMs: 2000,
};
const DRAFT = { context: 'fuzz', namespace: 'default', name: 'hello' };

/** One valid params object per call; every call in the contract must have one. */
const EXAMPLES: Record<string, unknown> = {
  'app.info': {},
  'clusters.kubeconfig': {},
  'clusters.select': { context: 'fuzz', namespace: 'default' },
  'clusters.selection': {},
  'clusters.probe': { context: 'fuzz' },
  'namespaces.list': { context: 'fuzz' },
  'namespaces.create': { name: 'team-a', context: 'fuzz' },
  'drafts.list': { context: 'fuzz', namespace: 'default' },
  'drafts.get': DRAFT,
  'drafts.save': { ...DRAFT, spec: SPEC },
  'drafts.delete': DRAFT,
  'functions.list': {},
  'functions.get': { name: 'hello' },
  'functions.validate': { spec: SPEC },
  'functions.deploy': { spec: SPEC, wait: false },
  'functions.delete': { name: 'hello' },
  'functions.templates': { runtime: 'nodejs' },
  'functions.runtimes': {},
  'invoke.send': REQUEST,
  'invoke.history': { function: 'hello', limit: 10 },
  'invoke.history.clear': { function: 'hello' },
  'invoke.saved.list': { function: 'hello' },
  'invoke.saved.save': { function: 'hello', name: 'first', request: REQUEST },
  'invoke.saved.delete': { function: 'hello', name: 'first' },
  'cron.status': { function: 'hello', limit: 5 },
  'cron.runNow': { function: 'hello' },
  'logs.query': { function: 'hello', text: 'x', limit: 10 },
  'logs.clear': { function: 'hello' },
  'metrics.history': { function: 'hello' },
  'revisions.list': { name: 'hello' },
  'revisions.rollback': { name: 'hello', revision: 1 },
  'revisions.source': { name: 'hello', revision: 1 },
  'revisions.match': { name: 'hello', spec: SPEC },
  'settings.get': {},
  'settings.update': { theme: 'dark', revisionsToKeep: 3, defaultImages: { nodejs: 'node:22-alpine' }, contextImages: { fuzz: { python: 'python:3.12-alpine' } } },
  'settings.images': {},
  'traffic.get': { name: 'hello' },
  'traffic.set': { name: 'hello', weights: [{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }], tags: [{ name: 'test', revision: 2 }] },
  'traffic.canary': { name: 'hello', revision: 2, plan: { steps: [10, 50, 100], stepSeconds: 30, maxErrorRate: 0.2, windowSeconds: 30, minRequests: 10 } },
  'traffic.rollout': { name: 'hello', plan: null },
  'gateway.get': {},
  'gateway.logs': { tailLines: 50 },
  'deps.types': { runtime: 'nodejs', dependencies: '{"dependencies":{"ms":"2.1.3"}}', lockfile: null },
  'deps.install': { runtime: 'nodejs', dependencies: '{}', lockfile: null },
  'live.push': { spec: SPEC },
  'live.stop': { name: 'hello' },
  'secrets.targets': { function: 'hello' },
  'secrets.reveal': { function: 'hello', secret: 'hello-db', key: 'password' },
  'secrets.save': { function: 'hello', secret: 'hello-db', entries: [{ key: 'password', value: 'x' }, { key: 'kept' }] },
  'secrets.delete': { function: 'hello', secret: 'hello-db' },
  'interop.import': { text: 'apiVersion: kubeless.io/v1beta1\nkind: Function\nmetadata: {name: hello}\nspec: {runtime: nodejs14, handler: handler.main, function: "exports.main = () => 1"}\n' },
  'interop.kubeless.list': {},
  'interop.kubeless.import': { names: ['hello'] },
  'interop.export': { name: 'hello', format: 'knative', revision: 1, namespace: 'prod' },
  'workbench.get': { context: 'fuzz' },
  'workbench.save': {
    context: 'fuzz',
    place: {
      namespace: 'default',
      open: { namespace: 'default', name: 'hello' },
      fileTab: 'handler.js',
      panelTab: 'invoke',
      unsaved: { namespace: 'default', name: 'hello', spec: SPEC },
      invoke: { namespace: 'default', name: 'hello', form: { method: 'POST', path: '/', query: [], headers: [{ name: 'x-a', value: '1' }], bodyKind: 'json', body: '{}' } },
      recent: [{ namespace: 'default', name: 'hello', openedAt: '2026-12-01T10:00:00.000Z' }],
    },
  },
  'workbench.layout': { layout: { panelHeight: 300 } },
};

describe('the contract boundary under random params', () => {
  let engine: Engine;
  let session: Session;
  let dir: string;
  const results = new Map<string, (m: ServerMessage) => void>();
  let n = 0;

  /** `rewrite` edits the message text (JSON.stringify itself cannot write very deep values). */
  const call = (method: string, params: unknown, rewrite = (text: string) => text): Promise<ServerMessage> =>
    new Promise((resolve) => {
      const id = `c${++n}`;
      results.set(id, resolve);
      void session.receive(rewrite(JSON.stringify({ type: 'call', id, method, params })));
    });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-fuzz-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    // Port 1 on loopback: nothing listens, so every cluster call is refused at once.
    await fs.writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: fuzz, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
        'users: [{name: fuzz, user: {token: fuzz}}]',
        'contexts: [{name: fuzz, context: {cluster: fuzz, user: fuzz, namespace: default}}]',
        'current-context: fuzz',
      ].join('\n'),
    );
    // Package registries are unreachable too: a mutated manifest never installs anything for real.
    const env = { KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH, npm_config_registry: 'http://127.0.0.1:1/', PIP_INDEX_URL: 'http://127.0.0.1:1/simple' };
    engine = createEngine({ mode: 'web', version: 'fuzz', env, homeDir: dir, dataDir: path.join(dir, 'data') });
    session = openSession(engine, (m) => {
      if (m.type === 'result') {
        results.get(m.id)?.(m);
        results.delete(m.id);
      }
    });
    const selected = await call('clusters.select', { context: 'fuzz', namespace: 'default' });
    expect(selected).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    session?.close();
    await engine?.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('has a valid example for every call, and each example is accepted by its schema', () => {
    expect(Object.keys(calls).filter((c) => !(c in EXAMPLES))).toEqual([]);
    for (const [name, params] of Object.entries(EXAMPLES)) {
      expect(calls[name as keyof typeof calls].params.safeParse(params).success, name).toBe(true);
    }
  });

  it('never answers INTERNAL, for random or mutated params of any call', { timeout: 120_000 }, async () => {
    const internal: Array<{ method: string; params: string; error: ErrorShape }> = [];
    let answered = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = rng(seed);
      for (const method of Object.keys(EXAMPLES)) {
        if (method === 'clusters.select') continue; // keep the one selection the other calls run against
        const tries = [randomJson(r), mutate(r, EXAMPLES[method]), mutate(r, mutate(r, EXAMPLES[method]))];
        for (const params of tries) {
          const answer = await call(method, params);
          answered++;
          if (answer.type === 'result' && !answer.ok && answer.error.code === 'INTERNAL') {
            internal.push({ method, params: JSON.stringify(params).slice(0, 300), error: answer.error });
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(600);
    expect(internal).toEqual([]);
  });

  it('never answers INTERNAL when any one text field of a valid call holds hostile text', { timeout: 120_000 }, async () => {
    const HOSTILE = [
      `module.exports = ${'['.repeat(100_000)}${']'.repeat(100_000)};`,
      `x = ${'-'.repeat(100_000)}1`,
      'lone \ud800 surrogate',
      'nul \u0000 byte',
      'bell \u0007 esc \u001b del \u007f c1 \u0085 \u009f',
      'non-latin-1 李 😀 \u2028 \ufeff \ufffe',
      '',
      'y'.repeat(800_000),
    ];
    const internal: Array<{ method: string; path: string; error: ErrorShape }> = [];
    let answered = 0;
    for (const [method, example] of Object.entries(EXAMPLES)) {
      if (method === 'clusters.select') continue;
      for (const leaf of stringLeaves(example)) {
        for (const text of HOSTILE) {
          const answer = await call(method, withLeaf(example, leaf, text));
          answered++;
          if (answer.type === 'result' && !answer.ok && answer.error.code === 'INTERNAL') internal.push({ method, path: leaf.join('.'), error: answer.error });
        }
      }
    }
    expect(answered).toBeGreaterThan(300);
    expect(internal).toEqual([]);
  });

  it('answers every call whose params are nested 100,000 levels deep anywhere, never INTERNAL', { timeout: 120_000 }, async () => {
    const deep = '[{"a":'.repeat(50_000) + '1' + '}]'.repeat(50_000);
    const PLACEHOLDER = 'deep-value-goes-here';
    const internal: Array<{ method: string; path: string; error: ErrorShape }> = [];
    for (const [method, example] of Object.entries(EXAMPLES)) {
      if (method === 'clusters.select') continue;
      for (const leaf of [...allPaths(example), ['extra']]) {
        const answer = await call(method, withLeaf(example, leaf, PLACEHOLDER), (text) => text.replace(`"${PLACEHOLDER}"`, deep));
        if (answer.type === 'result' && !answer.ok && answer.error.code === 'INTERNAL') internal.push({ method, path: leaf.join('.'), error: answer.error });
      }
    }
    expect(internal).toEqual([]);
  });

  it('ends a subscription with random params with BAD_REQUEST or a typed error, never INTERNAL', async () => {
    const ends: ServerMessage[] = [];
    const s = openSession(engine, (m) => m.type === 'end' && ends.push(m));
    const r = rng(42);
    let i = 0;
    const pending: Array<Promise<void>> = [];
    for (const name of Object.keys(streams)) {
      // A subscription with params that happen to be valid runs until closed: do not wait for it here.
      for (let k = 0; k < 10; k++) pending.push(s.receive(JSON.stringify({ type: 'subscribe', id: `s${++i}`, stream: name, params: randomJson(r) })));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    s.close();
    await Promise.all(pending);
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.filter((m) => m.type === 'end' && m.error?.code === 'INTERNAL')).toEqual([]);
  });
});
