import { describe, expect, it } from 'vitest';
import { ClientMessage, ServerMessage } from './protocol';
import { calls, isCallName, isStreamName } from './index';

describe('wire protocol', () => {
  it('accepts the three client message kinds', () => {
    expect(ClientMessage.safeParse({ type: 'call', id: 'c1', method: 'app.info', params: {} }).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'subscribe', id: 's1', stream: 'logs.follow', params: { a: 1 } }).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'unsubscribe', id: 's1' }).success).toBe(true);
  });

  it.each([
    ['no type', { id: 'c1', method: 'x' }],
    ['unknown type', { type: 'explode', id: 'c1' }],
    ['empty id', { type: 'call', id: '', method: 'app.info' }],
    ['id too long', { type: 'call', id: 'x'.repeat(65), method: 'app.info' }],
    ['missing method', { type: 'call', id: 'c1' }],
    ['not an object', 'call app.info'],
  ])('rejects a client message with %s', (_label, message) => {
    expect(ClientMessage.safeParse(message).success).toBe(false);
  });

  it('accepts results, events and ends from the server and rejects a bad error code', () => {
    expect(ServerMessage.safeParse({ type: 'result', id: 'c1', ok: true, value: 42 }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'result', id: 'c1', ok: false, error: { code: 'FORBIDDEN', message: 'no' } }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'event', id: 's1', value: [] }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'end', id: 's1' }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'result', id: 'c1', ok: false, error: { code: 'OOPS', message: 'no' } }).success).toBe(false);
  });
});

describe('contract map', () => {
  it('knows its calls and nothing else', () => {
    expect(isCallName('app.info')).toBe(true);
    expect(isCallName('clusters.kubeconfig')).toBe(true);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName('__proto__')).toBe(false);
    expect(isStreamName('constructor')).toBe(false);
  });

  it('validates call params and results with the declared schemas', () => {
    expect(calls['app.info'].params.safeParse({}).success).toBe(true);
    expect(calls['app.info'].result.safeParse({ name: 'Funcdeck', version: '1', mode: 'web', platform: 'linux', node: '20' }).success).toBe(true);
    expect(calls['app.info'].result.safeParse({ name: 'Other', version: '1', mode: 'web', platform: 'linux', node: '20' }).success).toBe(false);
  });
});
