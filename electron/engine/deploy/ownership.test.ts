import { describe, expect, it } from 'vitest';
import { foreignObject, GATEWAY_OWNER, isOurs, notOwnedError, ownerOf, whyNotOurs } from './ownership';

const labelled = (labels: Record<string, string>) => ({ metadata: { name: 'hello', labels } });

describe('ownership', () => {
  it('is both labels for this very function', () => {
    expect(isOurs(labelled({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'hello' }), 'hello')).toBe(true);
    expect(isOurs(labelled({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'other' }), 'hello')).toBe(false);
    expect(isOurs(labelled({ 'funcdeck.dev/function': 'hello' }), 'hello')).toBe(false);
    expect(isOurs(labelled({ 'app.kubernetes.io/managed-by': 'funcdeck' }), 'hello')).toBe(false);
    expect(isOurs(labelled({ 'app.kubernetes.io/managed-by': 'Helm', 'funcdeck.dev/function': 'hello' }), 'hello')).toBe(false);
    expect(isOurs({ metadata: { name: 'hello' } }, 'hello')).toBe(false);
    expect(isOurs(null, 'hello')).toBe(false);
  });

  it('says why an object is not ours', () => {
    expect(whyNotOurs(labelled({}), 'hello')).toBe('it has no Funcdeck labels');
    expect(whyNotOurs(labelled({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'x' }), 'hello')).toBe('it belongs to Funcdeck function "x"');
    expect(whyNotOurs(labelled({ 'app.kubernetes.io/managed-by': 'Helm', 'funcdeck.dev/function': 'hello' }), 'hello')).toMatch(/not app.kubernetes.io\/managed-by=funcdeck \(it says "Helm"\)/);
  });

  it('names every object, says nothing changed and what to do', () => {
    const e = notOwnedError('deploy "hello"', 'hello', [
      foreignObject('Service', 'dev', labelled({}), 'hello'),
      foreignObject('ConfigMap', 'dev', { metadata: { name: 'hello-r1', managedFields: [{ manager: 'kubectl-create' }, { manager: 'funcdeck' }] } }, 'hello'),
    ]);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/^Cannot deploy "hello": namespace "dev" already has Service "hello" \(it has no Funcdeck labels\), ConfigMap "hello-r1" \(it has no Funcdeck labels; managed by kubectl-create\)/);
    expect(e.message).toMatch(/Nothing was changed\. Rename the function, or delete or relabel those objects\./);
    expect(e.message).toContain('kubectl -n dev delete service hello');
  });

  it("knows the gateway's objects: Funcdeck's component label, and no function's", () => {
    const gw = labelled({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/component': 'gateway' });
    expect(isOurs(gw, GATEWAY_OWNER)).toBe(true);
    expect(ownerOf(gw)).toBe(GATEWAY_OWNER);
    expect(isOurs(gw, 'hello')).toBe(false);
    // a function's object, or a person's labelled like the gateway without managed-by, is not the gateway's
    expect(isOurs(labelled({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/component': 'gateway', 'funcdeck.dev/function': 'hello' }), GATEWAY_OWNER)).toBe(false);
    expect(whyNotOurs(labelled({ 'funcdeck.dev/component': 'gateway' }), GATEWAY_OWNER)).toMatch(/without app.kubernetes.io\/managed-by=funcdeck/);
    const e = notOwnedError('install the gateway', GATEWAY_OWNER, [foreignObject('Role', 'dev', labelled({}), GATEWAY_OWNER)]);
    expect(e.message).toContain('Funcdeck changes only objects labelled app.kubernetes.io/managed-by=funcdeck and funcdeck.dev/component=gateway');
    expect(e.message).toContain('Delete, rename or relabel that object');
  });
});
