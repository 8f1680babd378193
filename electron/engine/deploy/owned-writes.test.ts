import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApiServer, seed, type FakeApiServer } from './fake-api-server.test-support';
import { functionService } from './manifests';
import { applyOwned, deleteOwned, deleteOwnedByName, scaleOwned } from './owned-writes';

const OURS = { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'hello' };
const SVC = '/api/v1/namespaces/ns/services/hello';
const DEP = '/apis/apps/v1/namespaces/ns/deployments/hello-r1';

let fake: FakeApiServer;
beforeEach(async () => {
  fake = await fakeApiServer();
});
afterEach(async () => {
  await fake.close();
});

const writes = () => fake.requests.filter((r) => r.method !== 'GET');

describe('applyOwned', () => {
  it('applies as the funcdeck field manager, without force, as YAML-safe JSON', async () => {
    const svc = functionService('ns', 'hello', 1);
    svc.metadata!.annotations!['note'] = 'NEL\u0085';
    await applyOwned(fake.kc, svc);
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'PATCH', path: SVC, query: { fieldManager: 'funcdeck' }, contentType: 'application/apply-patch+yaml' }),
    ]);
    expect(writes()[0]!.body).toContain('NEL\\u0085');
  });

  it('on a field-manager conflict, takes the fields back with force when the object is this function’s', async () => {
    seed(fake, SVC, 'hello', OURS);
    fake.conflictUnlessForced.add(SVC);
    await applyOwned(fake.kc, functionService('ns', 'hello', 2));
    expect(writes().map((r) => r.query.force ?? 'no force')).toEqual(['no force', 'true']);
  });

  it('on a conflict with an object that is not this function’s, is a CONFLICT naming it and its managers, and never forces', async () => {
    seed(fake, SVC, 'hello', { 'funcdeck.dev/function': 'hello' });
    fake.conflictUnlessForced.add(SVC);
    await expect(applyOwned(fake.kc, functionService('ns', 'hello', 2))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/Service "hello" \(it is labelled funcdeck.dev\/function=hello but not app.kubernetes.io\/managed-by=funcdeck; managed by kubectl-create\)/),
      details: { notOwned: [{ kind: 'Service', name: 'hello', namespace: 'ns', managers: ['kubectl-create'] }] },
    });
    expect(writes().map((r) => r.query.force ?? 'no force')).toEqual(['no force']);
  });

  it('refuses a manifest without Funcdeck’s labels before sending anything', async () => {
    const svc = functionService('ns', 'hello', 1);
    delete svc.metadata!.labels!['app.kubernetes.io/managed-by'];
    await expect(applyOwned(fake.kc, svc)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fake.requests).toEqual([]);
  });

  it('refuses text that is not valid Unicode before sending anything', async () => {
    const svc = functionService('ns', 'hello', 1);
    svc.metadata!.annotations!['bad'] = 'x\udc00';
    await expect(applyOwned(fake.kc, svc)).rejects.toMatchObject({ code: 'INVALID_SPEC', details: { field: 'metadata.annotations.bad', offset: 1 } });
    expect(fake.requests).toEqual([]);
  });
});

describe('scaleOwned', () => {
  it('patches replicas with the uid it read as a precondition', async () => {
    seed(fake, DEP, 'hello-r1', OURS);
    await scaleOwned(fake.kc, 'hello', fake.objects.get(DEP)!, 3);
    expect(writes()).toEqual([expect.objectContaining({ method: 'PATCH', contentType: 'application/merge-patch+json' })]);
    expect(JSON.parse(writes()[0]!.body)).toEqual({ metadata: { uid: 'seed-hello-r1' }, spec: { replicas: 3 } });
  });

  it('refuses a Deployment that is not this function’s without a request, and one replaced by someone else’s meanwhile', async () => {
    seed(fake, DEP, 'hello-r1', { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'other' });
    await expect(scaleOwned(fake.kc, 'hello', fake.objects.get(DEP)!, 3)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fake.requests).toEqual([]);
    const read = { metadata: { name: 'hello-r1', namespace: 'ns', uid: 'old-uid', labels: OURS } };
    seed(fake, DEP, 'hello-r1', {}); // replaced by an unlabelled one
    await expect(scaleOwned(fake.kc, 'hello', read, 3)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Deployment "hello-r1" \(it has no Funcdeck labels/) });
    expect(fake.objects.get(DEP)!.spec).toBeUndefined();
  });
});

describe('deleteOwned', () => {
  it('deletes with the uid as a precondition; leaves someone else’s object alone', async () => {
    seed(fake, SVC, 'hello', OURS);
    expect(await deleteOwned(fake.kc, 'Service', 'hello', fake.objects.get(SVC)!)).toBe('deleted');
    expect(JSON.parse(writes()[0]!.body)).toMatchObject({ preconditions: { uid: 'seed-hello' }, propagationPolicy: 'Background' });
    seed(fake, SVC, 'hello', {});
    expect(await deleteOwnedByName(fake.kc, 'Service', 'ns', 'hello', 'hello')).toBe('foreign');
    expect(await deleteOwned(fake.kc, 'Service', 'hello', fake.objects.get(SVC)!)).toBe('foreign');
    expect(fake.objects.has(SVC)).toBe(true);
    expect(writes()).toHaveLength(1);
  });

  it('does not delete an object replaced since it was read by someone else’s', async () => {
    const read = { metadata: { name: 'hello', namespace: 'ns', uid: 'old-uid', labels: OURS } };
    seed(fake, SVC, 'hello', {});
    expect(await deleteOwned(fake.kc, 'Service', 'hello', read)).toBe('foreign');
    expect(fake.objects.has(SVC)).toBe(true);
  });
});
