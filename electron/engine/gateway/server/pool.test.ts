import { describe, expect, it } from 'vitest';
import { buildFunction } from '../../build/build';
import { revisionDeployment } from '../../deploy/manifests';
import { parseSpec } from '../../functions/spec';
import { poolEligible } from './pool';

/** A revision Deployment exactly as the deploy makes it (deploy/manifests.ts), with the spec's extras. */
async function revision(extra: Record<string, unknown>, dependencies = false) {
  const spec = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }], ...extra }).spec!;
  const build = await buildFunction(spec, 'img:1');
  const gz = Buffer.from('archive');
  const delivered = dependencies ? { digest: 'ab'.repeat(32), bytes: gz.length, unpackedBytes: 5, allocatedBytes: 4096, packages: [{ name: 'ms', version: '2.1.3' }], gz } : null;
  const deployment = revisionDeployment({ namespace: 'ns', spec, build, revision: 1, image: 'img:1', created: '2026-01-01T00:00:00Z', dependencies: delivered }, 1);
  return { runtime: spec.runtime, deployment };
}

describe('which revisions the warm pool can start', () => {
  it('takes a plain Node.js revision, with its live update volume and plain environment', async () => {
    const rev = await revision({ env: [{ name: 'A', value: 'b' }] });
    expect(rev.deployment.spec!.template.spec!.volumes!.map((v) => v.name)).toContain('live');
    expect(poolEligible(rev)).toBe(true);
  });

  it('leaves Python and revisions with dependencies (parts unpacked into the deps emptyDir) to their own pods', async () => {
    expect(poolEligible(await revision({ runtime: 'python', files: [{ path: 'handler.py', content: 'def main(e, c):\n  return 1\n' }] }))).toBe(false);
    expect(poolEligible(await revision({ dependencies: '{"dependencies":{"ms":"2"}}' }, true))).toBe(false);
  });

  // The warm pod can read no Secret or ConfigMap and is handed plain values only: such a revision
  // would run there without its password or files.
  it('leaves revisions that read Secrets or ConfigMaps (env, envFrom or files) to their own pods', async () => {
    expect(poolEligible(await revision({ envFrom: [{ from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' }] }))).toBe(false);
    expect(poolEligible(await revision({ envFrom: [{ from: 'configMap', name: 'flags' }] }))).toBe(false);
    expect(poolEligible(await revision({ mounts: [{ from: 'secret', name: 'tls', path: '/secrets/tls' }] }))).toBe(false);
  });
});
