import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from './ansi';

describe('ANSI parsing', () => {
  it('keeps plain text as one segment', () => {
    expect(parseAnsi('hello <b>world</b>')).toEqual([{ text: 'hello <b>world</b>' }]);
  });
  it('turns SGR colours and bold into styled segments and resets', () => {
    const segs = parseAnsi('a\x1b[1;31mred\x1b[0m b');
    expect(segs).toEqual([{ text: 'a' }, { text: 'red', bold: true, fg: '#cd3131' }, { text: ' b' }]);
  });
  it('supports 256 and true colour, and drops non-SGR sequences', () => {
    expect(parseAnsi('\x1b[38;5;196mx')[0]!.fg).toBe('rgb(255,0,0)');
    expect(parseAnsi('\x1b[48;2;1;2;3my')[0]!.bg).toBe('rgb(1,2,3)');
    expect(parseAnsi('\x1b[2Kclear')).toEqual([{ text: 'clear' }]);
  });
  it('strips sequences for search and download', () => {
    expect(stripAnsi('\x1b[32mok\x1b[0m done')).toBe('ok done');
  });
});
