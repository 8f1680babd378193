import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { findLoneSurrogate, IllFormedTextError, yamlSafeJson } from './yaml-safe-json';

// What a YAML 1.1 parser (Go's, in the API server) reads raw without refusing or folding it:
// tab, LF, CR, printable ASCII, [U+00A0-U+D7FF], [U+E000-U+FFFD] except U+2028/2029/FEFF, astral planes.
const RAW_OK = /^(?:[\t\n\r\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[\ud800-\udbff][\udc00-\udfff])*$/;

const NASTY = [
  '\u007f', // DEL
  '\u0080',
  '\u0085', // NEL: a YAML 1.1 line break, folded into a space when raw
  '\u009f',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u0000',
  '\u001b',
  '\r\n',
  '\t',
  '😀', // astral: stays raw (a \ud83d\ude00 pair would be two invalid escapes to YAML)
  '"\\\'',
  'é中',
];

describe('yamlSafeJson', () => {
  it('leaves only characters a YAML parser reads back unchanged', () => {
    for (const c of NASTY) {
      const text = yamlSafeJson({ [`k${c}`]: `a${c}b`, list: [c] });
      expect(text, JSON.stringify(c)).toMatch(RAW_OK);
    }
  });

  it('is what JSON.stringify alone is not (the reason it exists)', () => {
    const plain = JSON.stringify({ s: '\u007f\u0085\u2028\ufeff\ufffe' });
    expect(plain).not.toMatch(RAW_OK);
  });

  it('round-trips every kind of text through JSON and YAML parsers', () => {
    const value = { data: Object.fromEntries(NASTY.map((c, i) => [`file-${i}`, `x${c}y${c}`])), n: 3, ok: true, none: null };
    const text = yamlSafeJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(value);
    expect(YAML.parse(text)).toEqual(value);
  });

  it('writes the escapes as \\uXXXX in lower-case hex and keeps astral characters raw', () => {
    expect(yamlSafeJson('\u0085')).toBe('"\\u0085"');
    expect(yamlSafeJson('\ufeff\u2029')).toBe('"\\ufeff\\u2029"');
    expect(yamlSafeJson('😀')).toBe('"😀"');
  });

  it('does not mistake an escaped backslash followed by "ud800" for a surrogate', () => {
    expect(yamlSafeJson({ s: '\\ud800' })).toBe('{"s":"\\\\ud800"}');
  });

  it('refuses lone surrogates, naming where they are', () => {
    expect(() => yamlSafeJson({ data: { 'file-2': 'ab\ud800c' } })).toThrow(IllFormedTextError);
    try {
      yamlSafeJson({ data: { 'file-2': 'ab\ud800c' } });
    } catch (e) {
      expect(e).toMatchObject({ path: 'data.file-2', offset: 2 });
    }
    expect(findLoneSurrogate({ a: ['ok', 'x\udc00'] })).toEqual({ path: 'a[1]', offset: 1 });
    expect(findLoneSurrogate({ ['k\udbff']: 1 })).toEqual({ path: 'k\udbff', offset: 1 });
    expect(findLoneSurrogate({ a: 'ok 😀', b: ['\ud83d\ude00'] })).toBeNull();
  });
});
