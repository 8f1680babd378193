import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readKubeconfig, detectFlavor } from './kubeconfig-read';
import { kubeconfigPaths } from './kubeconfig-files';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-kc-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const fileA = `
apiVersion: v1
kind: Config
current-context: kind-alpha
clusters:
- name: kind-alpha
  cluster: { server: https://127.0.0.1:40001 }
- name: shared
  cluster: { server: https://a.example:6443 }
users:
- name: kind-alpha
  user: { token: abc }
contexts:
- name: kind-alpha
  context: { cluster: kind-alpha, user: kind-alpha, namespace: team-a }
- name: dup
  context: { cluster: shared, user: kind-alpha }
`;
const fileB = `
current-context: minikube
clusters:
- name: minikube
  cluster: { server: https://192.168.49.2:8443 }
- name: shared
  cluster: { server: https://b.example:6443 }
users:
- name: minikube
  user: { token: def }
contexts:
- name: minikube
  context: { cluster: minikube, user: minikube }
- name: dup
  context: { cluster: minikube, user: minikube }
`;

describe('kubeconfig paths', () => {
  it('splits KUBECONFIG, drops empties and duplicates, keeps order', () => {
    const env = { KUBECONFIG: ['/a/one', '', '/b/two', '/a/one'].join(path.delimiter) };
    expect(kubeconfigPaths(env, '/home/u')).toEqual(['/a/one', '/b/two']);
  });
  it('falls back to ~/.kube/config', () => {
    expect(kubeconfigPaths({}, '/home/u')).toEqual(['/home/u/.kube/config']);
    expect(kubeconfigPaths({ KUBECONFIG: '' }, '/home/u')).toEqual(['/home/u/.kube/config']);
  });
});

describe('reading kubeconfig files', () => {
  it('merges several files, first definition and first current-context win', async () => {
    const a = write('a.yaml', fileA);
    const b = write('b.yaml', fileB);
    const { state } = await readKubeconfig([a, b]);
    expect(state.loaded).toEqual([a, b]);
    expect(state.problems).toEqual([]);
    expect(state.current).toBe('kind-alpha');
    expect(state.contexts.map((c) => c.name)).toEqual(['kind-alpha', 'dup', 'minikube']);
    const dup = state.contexts.find((c) => c.name === 'dup')!;
    expect(dup.file).toBe(a);
    expect(dup.server).toBe('https://a.example:6443');
    const alpha = state.contexts.find((c) => c.name === 'kind-alpha')!;
    expect(alpha).toMatchObject({ namespace: 'team-a', flavor: 'kind', server: 'https://127.0.0.1:40001' });
    expect(state.contexts.find((c) => c.name === 'minikube')!.flavor).toBe('minikube');
  });

  it('reports a missing file as a problem and still reads the others', async () => {
    const b = write('b.yaml', fileB);
    const missing = path.join(dir, 'nope.yaml');
    const { state } = await readKubeconfig([missing, b]);
    expect(state.loaded).toEqual([b]);
    expect(state.problems).toEqual([{ file: missing, message: 'File not found.' }]);
    expect(state.current).toBe('minikube');
  });

  it('reports malformed YAML clearly instead of throwing', async () => {
    const bad = write('bad.yaml', 'clusters: [\n  - name: x\n   cluster: {');
    const { state } = await readKubeconfig([bad]);
    expect(state.loaded).toEqual([]);
    expect(state.contexts).toEqual([]);
    expect(state.problems).toHaveLength(1);
    expect(state.problems[0]!.message).toMatch(/^Not valid YAML: .+Fix the file/);
  });

  it('reports a YAML document that is not a kubeconfig', async () => {
    const list = write('list.yaml', '- a\n- b\n');
    const { state } = await readKubeconfig([list]);
    expect(state.problems[0]!.message).toMatch(/Not a kubeconfig/);
  });

  it('treats an empty file as a kubeconfig with no contexts', async () => {
    const empty = write('empty.yaml', '');
    const { state } = await readKubeconfig([empty]);
    expect(state).toMatchObject({ loaded: [empty], contexts: [], current: null, problems: [] });
  });

  it('flags a current-context that no file defines, and ignores nameless entries', async () => {
    const f = write('c.yaml', 'current-context: ghost\ncontexts:\n- context: { cluster: x }\n');
    const { state } = await readKubeconfig([f]);
    expect(state.current).toBe('ghost');
    expect(state.problems.map((p) => p.message)).toEqual([
      'An entry in "contexts" has no name; it was ignored.',
      'current-context "ghost" is not defined in any file.',
    ]);
  });
});

describe('flavor detection', () => {
  it.each([
    ['kind-dev', 'kind-dev', null, 'kind'],
    ['minikube', 'minikube', null, 'minikube'],
    ['funcdeck-dev', 'funcdeck-dev', null, 'funcdeck-dev'],
    ['prod', 'gke_x', 'https://34.1.2.3', 'other'],
  ] as const)('%s is %s', (ctx, cluster, server, flavor) => {
    expect(detectFlavor(ctx, cluster, server)).toBe(flavor);
  });
});
