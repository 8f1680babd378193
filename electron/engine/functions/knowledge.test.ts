import { describe, expect, it } from 'vitest';
import { ServingKnowledge } from './knowledge';

const pod = (name: string) => ({ metadata: { name } }) as never;

describe('serving knowledge', () => {
  it('keeps what the engine saw per context and namespace, and says when it changes', () => {
    const k = new ServingKnowledge();
    let changes = 0;
    k.onChange(() => changes++);
    k.verified('ctx', 'ns', 'a-r2-x');
    k.routed('ctx', 'ns', 'a', 2, 1);
    const end = k.begin('ctx', 'ns', 'a', { kind: 'deploy', revision: 2 });
    const here = k.about('ctx', 'ns');
    const there = k.about('other', 'ns');
    expect([here.verifiedReady(pod('a-r2-x')), here.routedTo('a'), here.transition('a')]).toEqual([true, { revision: 2, from: 1 }, { kind: 'deploy', revision: 2 }]);
    expect([there.verifiedReady(pod('a-r2-x')), there.routedTo('a'), there.transition('a')]).toEqual([false, null, null]);

    // A later transition of the same function takes over; the earlier one's end leaves it alone.
    const end2 = k.begin('ctx', 'ns', 'a', { kind: 'rollback', revision: 1 });
    end();
    expect(here.transition('a')).toEqual({ kind: 'rollback', revision: 1 });
    end2();
    expect(here.transition('a')).toBeNull();
    expect(changes).toBe(5); // verified, routed, two begins, the second end (the first end changed nothing)
  });
});
