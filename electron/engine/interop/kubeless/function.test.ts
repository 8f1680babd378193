import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importText } from './documents';

const FIXTURES = path.join(import.meta.dirname, '../../../../test/fixtures/kubeless');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const images = { nodejs: 'node:22-alpine', python: 'python:3.12-alpine' };
const one = async (text: string) => {
  const r = await importText(text, images);
  expect(r.functions).toHaveLength(1);
  return r.functions[0]!;
};
const fn = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'kubeless.io/v1beta1', kind: 'Function', metadata: { name: 'hello', ...metadata }, spec });
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const whats = (list: Array<{ what: string }>) => list.map((n) => n.what);

describe('kubeless examples import as drafts', () => {
  it('nodejs6 inline source: handler file, runtime with the version pointed out, nothing to fix', async () => {
    const r = await one(fixture('nodejs-function.yaml').toString());
    expect(r.source).toEqual({ name: 'hello', namespace: null, runtime: 'nodejs6' });
    expect(r.spec).toMatchObject({ name: 'hello', runtime: 'nodejs', language: 'javascript', handler: 'handler.hello', dependencies: '', timeoutSeconds: 180, cron: null });
    expect((r.spec!.files as Array<{ path: string; content: string }>)[0]).toEqual({ path: 'handler.js', content: expect.stringContaining("return 'Hello World'") });
    expect(r.warnings).toContain('kubeless ran this on Node.js 6 ("nodejs6"); Funcdeck runs Node.js 22 (image node:22-alpine). Check for changes between the versions, or set the function\'s image.');
    expect(r.issues).toEqual([]);
    expect(r.notCarried).toEqual([]);
  });

  it('python3.7 with deps', async () => {
    const r = await one(fixture('python-function1.yaml').toString());
    expect(r.spec).toMatchObject({ name: 'function1', runtime: 'python', handler: 'hello.foobar', dependencies: 'cowpy\n' });
    expect((r.spec!.files as Array<{ path: string }>).map((f) => f.path)).toEqual(['hello.py']);
    expect(r.issues).toEqual([]);
  });

  it('a Ruby function is listed, not carried', async () => {
    const r = await one(fixture('ruby-function.yaml').toString());
    expect(r.spec).toBeNull();
    expect(r.notCarried).toEqual([{ what: 'the whole function (runtime "ruby2.4")', why: expect.stringContaining('ruby functions cannot be carried') }]);
  });
});

describe('every form of source', () => {
  it.each([
    ['helloFunctions.zip', 'base64+zip'],
    ['helloFunctions.tar.gz', 'base64+compressedtar'],
    ['helloFunctions.tar.bz2', 'base64+compressedtar'],
    ['helloFunctions.tar.xz', 'base64+compressedtar'],
  ])('%s (%s) becomes several files, its checksum checked', async (file, contentType) => {
    const bytes = fixture(file);
    const r = await one(stringify(fn({ runtime: 'nodejs14', handler: 'index.helloGet', 'function-content-type': contentType, function: bytes.toString('base64'), checksum: sha(bytes) })));
    expect((r.spec!.files as Array<{ path: string }>).map((f) => f.path).sort()).toEqual(['helloget.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js']);
    expect(r.issues).toEqual([]);
    expect(r.warnings.join(' ')).not.toMatch(/checksum/);
    const tampered = await one(stringify(fn({ runtime: 'nodejs14', handler: 'index.helloGet', 'function-content-type': contentType, function: bytes.toString('base64'), checksum: `sha256:${'0'.repeat(64)}` })));
    expect(tampered.warnings.join(' ')).toMatch(/does not match its checksum/);
  });

  it('a zip with requirements.txt gives the dependencies', async () => {
    const bytes = fixture('hellowithbundleddeps.zip');
    const r = await one(stringify(fn({ runtime: 'python3.8', handler: 'hellowithdeps.foo', 'function-content-type': 'base64+zip', function: bytes.toString('base64') })));
    expect(r.spec).toMatchObject({ runtime: 'python', dependencies: expect.stringMatching(/\S/), files: [{ path: 'hellowithdeps.py', content: expect.stringContaining('from hellowithdepshelper import foo') }] });
    expect(r.warnings).toContain("Dependencies taken from the archive's requirements.txt.");
  });

  it('base64 of one file, plain text with its checksum, a URL (not fetched), a binary', async () => {
    const code = 'def main(event, context):\n    return "hi"\n';
    const b64 = await one(stringify(fn({ runtime: 'python3.11', handler: 'h.main', 'function-content-type': 'base64', function: Buffer.from(code).toString('base64'), checksum: sha(Buffer.from(code)) })));
    expect(b64.spec!.files).toEqual([{ path: 'h.py', content: code }]);
    expect(b64.warnings.join(' ')).not.toMatch(/checksum/);
    const text = await one(stringify(fn({ runtime: 'python3.11', handler: 'h.main', 'function-content-type': 'text', function: code, checksum: sha(Buffer.from(code)) })));
    expect(text.spec!.files).toEqual([{ path: 'h.py', content: code }]);
    const url = await one(stringify(fn({ runtime: 'nodejs14', handler: 'h.main', 'function-content-type': 'url+zip', function: 'https://example.com/f.zip' })));
    expect(url.notCarried[0]).toEqual({ what: 'spec.function: the source at https://example.com/f.zip', why: expect.stringContaining('does not download') });
    expect((url.spec!.files as Array<{ content: string }>)[0]!.content).toContain('https://example.com/f.zip');
    const binary = await one(stringify(fn({ runtime: 'nodejs14', handler: 'h.main', 'function-content-type': 'base64', function: Buffer.from([0, 1, 2, 255]).toString('base64') })));
    expect(binary.notCarried[0]?.why).toMatch(/binary data/);
  });
});

describe('every field of a Function', () => {
  const full = [
    fn(
      {
        runtime: 'nodejs20',
        handler: 'handler.main',
        function: 'exports.main = () => process.env.GREETING;\n',
        deps: '{"dependencies":{"left-pad":"1.3.0"}}',
        timeout: '30',
        checksum: '',
        'function-content-type': 'text',
        futureField: 'from a later kubeless',
        deployment: {
          metadata: { creationTimestamp: null, annotations: { 'prometheus.io/scrape': 'true' } },
          spec: {
            replicas: 3,
            template: {
              metadata: { creationTimestamp: null, labels: { tier: 'web' } },
              spec: {
                nodeSelector: { disk: 'ssd' },
                volumes: [
                  { name: 'db-vol', secret: { secretName: 'db' } },
                  { name: 'scratch', emptyDir: {} },
                ],
                containers: [
                  {
                    name: '',
                    image: 'registry.example.com/kubeless/node:20',
                    imagePullPolicy: 'Always',
                    env: [
                      { name: 'GREETING', value: 'hello' },
                      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level', optional: true } } },
                      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                      { name: 'FUNCDECK_X', value: '1' },
                    ],
                    envFrom: [{ prefix: 'API_', secretRef: { name: 'api' } }],
                    resources: { requests: { memory: '128Mi', cpu: '100m' }, limits: { memory: '128Mi', 'ephemeral-storage': '1Gi' } },
                    volumeMounts: [{ name: 'db-vol', mountPath: '/db' }],
                  },
                ],
              },
            },
          },
          status: {},
        },
        service: { ports: [{ name: 'http-function-port', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { function: 'hello' }, type: 'ClusterIP' },
      },
      {
        namespace: 'team-a',
        uid: 'u-1',
        labels: { function: 'hello', 'created-by': 'kubeless', stream: 'orders' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', owner: 'ana' },
      },
    ),
    { apiVersion: 'kubeless.io/v1beta1', kind: 'CronJobTrigger', metadata: { name: 'hello-every-5', namespace: 'team-a' }, spec: { 'function-name': 'hello', schedule: '*/5 * * * *', payload: { hello: 'world' } } },
    { apiVersion: 'kubeless.io/v1beta1', kind: 'CronJobTrigger', metadata: { name: 'hello-hourly', namespace: 'team-a' }, spec: { 'function-name': 'hello', schedule: '@hourly' } },
    { apiVersion: 'kubeless.io/v1beta1', kind: 'HTTPTrigger', metadata: { name: 'hello-http', namespace: 'team-a' }, spec: { 'function-name': 'hello', 'host-name': 'hello.example.com', path: 'greet' } },
    { apiVersion: 'kubeless.io/v1beta1', kind: 'KafkaTrigger', metadata: { name: 'orders', namespace: 'team-a' }, spec: { functionSelector: { matchLabels: { stream: 'orders' } }, topic: 'orders' } },
    { apiVersion: 'kubeless.io/v1beta1', kind: 'NATSTrigger', metadata: { name: 'other', namespace: 'team-a' }, spec: { functionSelector: { matchLabels: { stream: 'payments' } }, topic: 'payments' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { level: 'debug' } },
  ];
  const text = full.map((d) => stringify(d)).join('---\n');

  it('carries each one it can into the spec', async () => {
    const r = await importText(text, images);
    const f = r.functions[0]!;
    expect(f.spec).toEqual({
      name: 'hello',
      runtime: 'nodejs',
      language: 'javascript',
      handler: 'handler.main',
      files: [{ path: 'handler.js', content: 'exports.main = () => process.env.GREETING;\n' }],
      dependencies: '{"dependencies":{"left-pad":"1.3.0"}}',
      env: [{ name: 'GREETING', value: 'hello' }],
      size: 'S',
      timeoutSeconds: 30,
      scale: { min: 3, max: 3, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 },
      cron: { schedule: '*/5 * * * *', payload: '{"hello":"world"}', contentType: 'application/json' },
      labels: { tier: 'web', function: 'hello', stream: 'orders' },
      annotations: { 'prometheus.io/scrape': 'true', owner: 'ana' },
      envFrom: [
        { from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' },
        { from: 'configMap', name: 'settings', key: 'level', as: 'LEVEL', optional: true },
        { from: 'secret', name: 'api', prefix: 'API_' },
      ],
      mounts: [{ from: 'secret', name: 'db', path: '/db' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      image: 'registry.example.com/kubeless/node:20',
    });
    expect(f.issues).toEqual([]);
    expect(f.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kept as the function\'s image'),
        expect.stringContaining('CronJobTrigger hello-every-5 became its cron trigger'),
        expect.stringContaining('port 80 (kubeless used 8080)'),
      ]),
    );
  });

  it('lists each one it cannot, with why', async () => {
    const r = await importText(text, images);
    const f = r.functions[0]!;
    expect(whats(f.notCarried).sort()).toEqual(
      [
        'CronJobTrigger hello-hourly (@hourly)',
        'HTTPTrigger hello-http (host hello.example.com, path /greet)',
        'KafkaTrigger orders (topic orders)',
        'annotation kubectl.kubernetes.io/last-applied-configuration',
        'env FUNCDECK_X',
        'spec.deployment.spec.template.spec.containers.0.env.3: {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}',
        'spec.deployment.spec.template.spec.containers.0.resources.limits.ephemeral-storage: 1Gi',
        'spec.deployment.spec.template.spec.nodeSelector: {"disk":"ssd"}',
        'spec.deployment.spec.template.spec.volumes.1: {"name":"scratch","emptyDir":{}}',
        'spec.futureField: from a later kubeless',
      ].sort(),
    );
    expect(f.notCarried.find((n) => n.what.startsWith('KafkaTrigger'))?.why).toMatch(/no Kafka trigger/);
    // The NATS trigger selects another function, and the ConfigMap is not kubeless's: listed for the whole import.
    expect(r.notCarried).toEqual([
      { what: 'NATSTrigger other', why: 'A trigger of no function in this import.' },
      { what: 'ConfigMap settings', why: 'Not a kubeless object (kubeless.io/v1beta1).' },
    ]);
  });
});

describe('names, timeouts, lists and bad text', () => {
  it('renames what Funcdeck cannot name, clamps timeouts, reads kubectl lists', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [fn({ runtime: 'python3.11', handler: 'h.main', function: 'def main(e, c):\n  return 1\n', timeout: '2000' }, { name: 'My_Very-Long-Function-Name-From-Kubeless-Days' })] };
    const r = await one(stringify(list));
    expect(r.spec).toMatchObject({ name: 'my-very-long-function-name-from-kubeless', timeoutSeconds: 900 });
    expect(r.warnings).toEqual(expect.arrayContaining([expect.stringContaining('Named "my-very-long-function-name-from-kubeless"'), 'Timeout 2000 s became 900 s (Funcdeck takes whole seconds from 1 to 900).']));
    const bad = await one(stringify(fn({ runtime: 'python3.11', handler: 'h.main', function: 'x = 1\n', timeout: 'soon' })));
    expect(bad.notCarried[0]).toEqual({ what: 'spec.timeout "soon"', why: 'Not a number of seconds; the default 180 s is used.' });
  });

  it('reports YAML that does not parse, per document, and refuses text with nothing in it', async () => {
    const r = await importText(`${fixture('nodejs-function.yaml').toString()}\n---\nkind: [unclosed\n`, images);
    expect(r.functions).toHaveLength(1);
    expect(r.notCarried[0]?.what).toMatch(/^document 2/);
    expect(r.notCarried[0]?.why).toMatch(/^Not valid YAML/);
    await expect(importText('# nothing\n', images)).rejects.toMatchObject({ code: 'INVALID_SPEC' });
  });

  it('says what a draft still needs when the handler points at no file', async () => {
    const bytes = fixture('helloFunctions.zip');
    const r = await one(stringify(fn({ runtime: 'nodejs14', handler: 'missing.main', 'function-content-type': 'base64+zip', function: bytes.toString('base64') })));
    expect(r.issues).toEqual([{ path: 'handler', message: expect.stringContaining('missing.js') }]);
  });
});
