import { describe, expect, it } from 'vitest';
import { decodeResponseBody, encodeRequestBody, utf8Prefix } from './body';

describe('request bodies', () => {
  it('encodes text, JSON and base64 with a default content-type', () => {
    expect(encodeRequestBody({ kind: 'text', content: 'hé' })).toEqual({ bytes: Buffer.from('hé'), contentType: 'text/plain; charset=utf-8' });
    expect(encodeRequestBody({ kind: 'json', content: '{"a":1}' }).contentType).toBe('application/json');
    expect([...encodeRequestBody({ kind: 'base64', content: Buffer.from([0, 255, 1]).toString('base64') }).bytes!]).toEqual([0, 255, 1]);
    expect(encodeRequestBody(null).bytes).toBeUndefined();
  });
  it('rejects JSON that does not parse and base64 with stray characters', () => {
    expect(() => encodeRequestBody({ kind: 'json', content: '{a' })).toThrow(/does not parse/);
    expect(() => encodeRequestBody({ kind: 'base64', content: 'ab$c' })).toThrow(/base64/);
  });
});

describe('response bodies', () => {
  it('returns JSON as json when the content-type says so and it parses', () => {
    const b = Buffer.from('{"ok":true}');
    expect(decodeResponseBody(b, b.length, 'application/json; charset=utf-8', 100)).toEqual({ kind: 'json', content: '{"ok":true}', truncated: false, sizeBytes: 11 });
    expect(decodeResponseBody(Buffer.from('{x'), 2, 'application/json', 100).kind).toBe('text');
  });
  it('returns binary as base64 and untyped UTF-8 as text', () => {
    const bin = Buffer.from([0xff, 0xfe, 0x00, 0x81]);
    expect(decodeResponseBody(bin, 4, 'application/octet-stream', 100)).toEqual({ kind: 'base64', content: bin.toString('base64'), truncated: false, sizeBytes: 4 });
    expect(decodeResponseBody(bin, 4, undefined, 100).kind).toBe('base64');
    expect(decodeResponseBody(Buffer.from('plain'), 5, undefined, 100).kind).toBe('text');
  });
  it('truncates large bodies for display and keeps the full size', () => {
    const big = Buffer.alloc(3000, 'a');
    const r = decodeResponseBody(big.subarray(0, 1200), 10 * 1024 * 1024, 'text/plain', 1000);
    expect(r).toMatchObject({ kind: 'text', truncated: true, sizeBytes: 10 * 1024 * 1024 });
    expect(r.content.length).toBe(1000);
    // a truncated JSON body cannot be shown as JSON
    expect(decodeResponseBody(Buffer.from('[1,2,3,4]'), 9, 'application/json', 4)).toMatchObject({ kind: 'text', truncated: true, content: '[1,2' });
  });
  it('cuts UTF-8 text on a character boundary', () => {
    const s = Buffer.from('aé€😀');
    expect(utf8Prefix(s, 2).toString()).toBe('a');
    expect(utf8Prefix(s, 3).toString()).toBe('aé');
    expect(utf8Prefix(s, 5).toString()).toBe('aé');
    expect(utf8Prefix(s, 6).toString()).toBe('aé€');
    expect(utf8Prefix(s, 9).toString()).toBe('aé€');
    expect(utf8Prefix(s, 10).toString()).toBe('aé€😀');
    const r = decodeResponseBody(s, s.length, 'text/plain', 5);
    expect(r).toMatchObject({ kind: 'text', content: 'aé', truncated: true });
  });
});
