import { describe, expect, it } from 'vitest';
import { plural, pluralWord } from './plural';

describe('plural', () => {
  it('writes one, none and many with the right word, and groups thousands', () => {
    expect(plural(1, 'line')).toBe('1 line');
    expect(plural(0, 'line')).toBe('0 lines');
    expect(plural(2, 'request')).toBe('2 requests');
    expect(plural(27001, 'line')).toBe('27,001 lines');
    expect(plural(1, 'pod is', 'pods are')).toBe('1 pod is');
    expect(plural(3, 'pod is', 'pods are')).toBe('3 pods are');
    expect(plural(1.5, 'second')).toBe('1.5 seconds');
    expect(pluralWord(1, 'call')).toBe('call');
    expect(pluralWord(0, 'call')).toBe('calls');
  });
});
