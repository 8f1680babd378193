import { describe, expect, it } from 'vitest';
import { ApiStatusError } from './api-connection';
import { kubeFailure } from './api-failure';

describe('kubeFailure', () => {
  it('an API server that throttles (429) is busy, not a bug: try again', () => {
    const busy = kubeFailure(new ApiStatusError(429, JSON.stringify({ kind: 'Status', message: 'Too many requests, please try again later.' })), 'https://k:6443', 'read the metrics of "hello"');
    expect(busy.code).toBe('TIMEOUT');
    expect(busy.message).toMatch(/too busy to read the metrics of "hello".*try again/i);
    expect(busy.message).not.toMatch(/bug/);
  });
});
