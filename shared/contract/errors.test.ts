import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FuncdeckError, describeIssues, toErrorShape } from './errors';

describe('error mapping', () => {
  it('keeps a typed error as it is, details included', () => {
    const e = new FuncdeckError('FORBIDDEN', 'You may not list pods in "team-a". Ask for the "list pods" permission.', { verb: 'list', resource: 'pods' });
    expect(toErrorShape(e)).toEqual({ code: 'FORBIDDEN', message: e.message, details: { verb: 'list', resource: 'pods' } });
  });

  it('omits details when there are none', () => {
    expect(toErrorShape(new FuncdeckError('NOT_FOUND', 'gone'))).toEqual({ code: 'NOT_FOUND', message: 'gone' });
  });

  it('turns an unknown throw into INTERNAL that keeps the original text and says it is a bug', () => {
    const shape = toErrorShape(new TypeError('x is undefined'));
    expect(shape.code).toBe('INTERNAL');
    expect(shape.message).toContain('x is undefined');
    expect(shape.message).toMatch(/bug/);
    expect(toErrorShape('plain string').message).toContain('plain string');
  });

  it('accepts an already-shaped error object but not one with an unknown code', () => {
    expect(toErrorShape({ code: 'TIMEOUT', message: 'took too long' })).toEqual({ code: 'TIMEOUT', message: 'took too long' });
    expect(toErrorShape({ code: 'EACCES', message: 'denied' }).code).toBe('INTERNAL');
  });

  it('round-trips through the wire shape', () => {
    const back = FuncdeckError.fromShape({ code: 'CONFLICT', message: 'exists', details: { name: 'a' } });
    expect(back).toBeInstanceOf(FuncdeckError);
    expect(back.toShape()).toEqual({ code: 'CONFLICT', message: 'exists', details: { name: 'a' } });
  });

  it('describes schema failures one line per field', () => {
    const schema = z.object({ name: z.string().min(1, 'must not be empty'), size: z.number() });
    const result = schema.safeParse({ name: '', size: 'big' });
    expect(result.success).toBe(false);
    const lines = describeIssues(result.error!, 'spec');
    expect(lines).toContain('spec.name: must not be empty');
    expect(lines.some((l) => l.startsWith('spec.size:'))).toBe(true);
  });
});
