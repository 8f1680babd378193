import { describe, expect, it } from 'vitest';
import { effectiveResources, IMAGE_NEEDS } from './function-extras';
import { FunctionSpec, SIZE_PRESETS } from './functions';
import { parseQuantity } from './quantity';

const base = { name: 'fn', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }] };
const issues = (extra: Record<string, unknown>) => {
  const r = FunctionSpec.safeParse({ ...base, ...extra });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('spec: labels and annotations', () => {
  it('keeps labels and annotations a person sets', () => {
    const r = FunctionSpec.parse({ ...base, labels: { team: 'payments', 'example.com/tier': 'web' }, annotations: { 'example.com/owner': 'Ana <ana@example.com>' } });
    expect(r.labels).toEqual({ team: 'payments', 'example.com/tier': 'web' });
    expect(r.annotations).toEqual({ 'example.com/owner': 'Ana <ana@example.com>' });
  });

  it("refuses Funcdeck's own keys, naming the key and why", () => {
    for (const key of ['funcdeck.dev/function', 'funcdeck.dev/revision', 'app.kubernetes.io/managed-by', 'x.funcdeck.dev/anything']) {
      const found = issues({ labels: { [key]: 'other' } });
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`labels.${key}: "${key}" is Funcdeck's own label`);
    }
    expect(issues({ annotations: { 'funcdeck.dev/checksum': 'x' } })[0]).toContain("is Funcdeck's own annotation");
    // Other kubernetes.io keys are the person's to set.
    expect(issues({ labels: { 'app.kubernetes.io/name': 'shop' } })).toEqual([]);
  });

  it('refuses keys and label values Kubernetes would refuse', () => {
    expect(issues({ labels: { 'bad key': 'v' } })[0]).toMatch(/labels\.bad key: .*at most 63 letters/);
    expect(issues({ labels: { 'Example.com/x': 'v' } })[0]).toMatch(/lowercase DNS name/);
    expect(issues({ labels: { team: 'has space' } })[0]).toMatch(/value of "team" must be empty or at most 63/);
    expect(issues({ labels: { team: 'x'.repeat(64) } })).toHaveLength(1);
    expect(issues({ annotations: { note: 'any text at all, even\nlines' } })).toEqual([]);
  });
});

describe('spec: values from Secrets and ConfigMaps', () => {
  it('takes whole objects and single keys', () => {
    const r = FunctionSpec.parse({
      ...base,
      envFrom: [
        { from: 'secret', name: 'db-credentials' },
        { from: 'configMap', name: 'settings', key: 'LOG_LEVEL' },
        { from: 'secret', name: 'api', key: 'token.txt', as: 'API_TOKEN', optional: true },
      ],
      mounts: [{ from: 'secret', name: 'tls', path: '/etc/tls' }],
    });
    expect(r.envFrom).toHaveLength(3);
    expect(r.mounts).toEqual([{ from: 'secret', name: 'tls', path: '/etc/tls' }]);
  });

  it('needs a variable name for a key that is not one, and refuses reserved or doubled names', () => {
    expect(issues({ envFrom: [{ from: 'secret', name: 's', key: 'token.txt' }] })[0]).toMatch(/envFrom\.0\.key: "token\.txt" is not a variable name: give "as"/);
    expect(issues({ envFrom: [{ from: 'secret', name: 's', key: 'k', as: 'FUNCDECK_X' }] })[0]).toMatch(/envFrom\.0\.as: .*reserved/);
    expect(issues({ env: [{ name: 'TOKEN', value: 'a' }], envFrom: [{ from: 'secret', name: 's', key: 'TOKEN' }] })[0]).toMatch(/envFrom\.0\.key: TOKEN is set twice \(also at env\.0\)/);
    expect(issues({ envFrom: [{ from: 'secret', name: 's', as: 'X' }] })[0]).toMatch(/envFrom\.0\.as: "as" names the variable for one key/);
    expect(issues({ envFrom: [{ from: 'secret', name: 'Bad_Name' }] })[0]).toMatch(/envFrom\.0\.name: Use lowercase letters/);
  });

  it('mounts only into folders of its own', () => {
    expect(issues({ mounts: [{ from: 'configMap', name: 'c', path: '/funcdeck/src' }] })[0]).toMatch(/mounts\.0\.path: Funcdeck runs the function from \/funcdeck/);
    expect(issues({ mounts: [{ from: 'configMap', name: 'c', path: '/etc' }] })[0]).toMatch(/would hide the image's own files/);
    expect(issues({ mounts: [{ from: 'configMap', name: 'c', path: 'relative/dir' }] })[0]).toMatch(/absolute folder/);
    expect(issues({ mounts: [{ from: 'configMap', name: 'c', path: '/etc/a/../b' }] })[0]).toMatch(/no "\.\." parts/);
    expect(issues({ mounts: [{ from: 'configMap', name: 'c', path: '/etc/a' }, { from: 'secret', name: 'd', path: '/etc/a' }] })[0]).toMatch(/mounts\.1\.path: \/etc\/a is mounted twice/);
  });
});

describe('spec: exact resources', () => {
  it('reads quantities as the API server does', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('2e3')).toBe(2000);
    for (const bad of ['', 'Mi', '1 Gi', '-1', '1mb', '1.2.3', '0x10']) expect(parseQuantity(bad)).toBeNull();
  });

  it('refuses a bad quantity and a limit below its request', () => {
    expect(issues({ resources: { limits: { memory: '128MB' } } })[0]).toMatch(/resources\.limits\.memory: Give memory in bytes with a unit/);
    expect(issues({ resources: { requests: { cpu: '0' } } })[0]).toMatch(/resources\.requests\.cpu: Give CPU as cores/);
    expect(issues({ resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } })[0]).toMatch(/resources\.limits\.cpu: The cpu limit 500m is below its request 2/);
    expect(issues({ resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } })).toEqual([]);
  });

  it('wins over the size preset per value, never leaving a request above its limit', () => {
    const S = SIZE_PRESETS.S;
    // kubeless --memory 128Mi sets request and limit both.
    expect(effectiveResources(S, { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } })).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    });
    expect(effectiveResources(S, undefined)).toEqual(S);
    // A request alone above the preset's limit raises the limit to it; a limit alone below the request lowers the request.
    expect(effectiveResources(S, { requests: { cpu: '2' } }).limits.cpu).toBe('2');
    expect(effectiveResources(S, { limits: { memory: '32Mi' } }).requests.memory).toBe('32Mi');
    expect(effectiveResources(S, { limits: { memory: '1Gi' } })).toEqual({ requests: S.requests, limits: { cpu: '500m', memory: '1Gi' } });
  });
});

describe('spec: the function’s own image', () => {
  it('takes image references Kubernetes takes, and refuses others', () => {
    for (const ok of ['node:22-alpine', 'registry.example.com:5000/team/node:22', 'localhost/funcdeck/node:20', `python@sha256:${'a'.repeat(64)}`]) expect(issues({ image: ok })).toEqual([]);
    for (const bad of ['Node:22', 'node:', 'has space:1', 'node:22:23', '']) expect(issues({ image: bad }).length).toBeGreaterThan(0);
    expect(IMAGE_NEEDS.nodejs).toMatch(/node/);
  });
});
