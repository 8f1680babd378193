import { describe, expect, it } from 'vitest';
import { PoolAuth, signPoolCall } from './pool-auth';

const key = Buffer.alloc(32, 7);
const body = Buffer.from('{"revision":"hello/2"}');

describe('pool call signatures', () => {
  it('takes a call signed with the key, once', () => {
    const auth = new PoolAuth(key);
    const sig = signPoolCall(key, 'POST', '/specialize', body, 1000);
    expect(auth.check(sig, 'POST', '/specialize', body, 1500)).toBeNull();
    expect(auth.check(sig, 'POST', '/specialize', body, 1600)).toBe('nonce used before');
  });

  it('refuses a call without a signature, with another key, another body or path, or too old', () => {
    const auth = new PoolAuth(key);
    expect(auth.check(undefined, 'POST', '/specialize', body)).toBe('no signature');
    expect(auth.check(signPoolCall(Buffer.alloc(32, 8), 'POST', '/specialize', body, 0), 'POST', '/specialize', body, 0)).toBe('bad signature');
    expect(auth.check(signPoolCall(key, 'POST', '/specialize', body, 0), 'POST', '/specialize', Buffer.from('{}'), 0)).toBe('bad signature');
    expect(auth.check(signPoolCall(key, 'POST', '/retire', body, 0), 'POST', '/specialize', body, 0)).toBe('bad signature');
    expect(auth.check(signPoolCall(key, 'POST', '/specialize', body, 0), 'POST', '/specialize', body, 31_000)).toBe('signature too old');
  });
});
