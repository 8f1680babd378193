/** A run of text with the style ANSI SGR codes gave it. Rendered as React text, never as HTML. */
export interface AnsiSegment {
  text: string;
  fg?: string;
  bg?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  dim?: boolean;
}

const BASIC = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5'];
const BRIGHT = ['#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];

function color256(n: number): string {
  if (n < 8) return BASIC[n]!;
  if (n < 16) return BRIGHT[n - 8]!;
  if (n < 232) {
    const i = n - 16;
    const c = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

// CSI sequences: SGR (ending in m) is applied, every other one (cursor moves, clears) is dropped.
// Built from a string so the ESC byte is explicit without a control character in a regex literal.
const ESC = '\u001b';
const CSI = new RegExp(`${ESC}\\[([0-9;]*)([A-Za-z])`, 'g');
const LONE_ESC = new RegExp(ESC, 'g');

export function parseAnsi(line: string): AnsiSegment[] {
  if (!line.includes(ESC)) return [{ text: line }];
  const out: AnsiSegment[] = [];
  let style: Omit<AnsiSegment, 'text'> = {};
  let last = 0;
  for (const m of line.matchAll(CSI)) {
    if (m.index! > last) out.push({ ...style, text: line.slice(last, m.index) });
    last = m.index! + m[0].length;
    if (m[2] !== 'm') continue;
    const codes = (m[1] || '0').split(';').map((c) => Number(c || 0));
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c === 0) style = {};
      else if (c === 1) style = { ...style, bold: true };
      else if (c === 2) style = { ...style, dim: true };
      else if (c === 3) style = { ...style, italic: true };
      else if (c === 4) style = { ...style, underline: true };
      else if (c === 22) style = { ...style, bold: false, dim: false };
      else if (c === 23) style = { ...style, italic: false };
      else if (c === 24) style = { ...style, underline: false };
      else if (c >= 30 && c <= 37) style = { ...style, fg: BASIC[c - 30] };
      else if (c >= 90 && c <= 97) style = { ...style, fg: BRIGHT[c - 90] };
      else if (c >= 40 && c <= 47) style = { ...style, bg: BASIC[c - 40] };
      else if (c >= 100 && c <= 107) style = { ...style, bg: BRIGHT[c - 100] };
      else if (c === 39) style = { ...style, fg: undefined };
      else if (c === 49) style = { ...style, bg: undefined };
      else if ((c === 38 || c === 48) && codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        const col = color256(codes[i + 2]!);
        style = c === 38 ? { ...style, fg: col } : { ...style, bg: col };
        i += 2;
      } else if ((c === 38 || c === 48) && codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        const col = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
        style = c === 38 ? { ...style, fg: col } : { ...style, bg: col };
        i += 4;
      }
    }
  }
  if (last < line.length) out.push({ ...style, text: line.slice(last) });
  // Other escape bytes left over (lone ESC) are removed rather than shown as boxes.
  return out.map((s) => ({ ...s, text: s.text.replace(LONE_ESC, '') })).filter((s) => s.text !== '');
}

/** Strips every ANSI sequence (for search, download and copy). */
export function stripAnsi(line: string): string {
  return line.includes(ESC) ? line.replace(CSI, '').replace(LONE_ESC, '') : line;
}

/** Only these schemes become links in log text; anything else stays plain text. */
export const LINK = /\b(https?:\/\/[^\s"'<>]+|mailto:[^\s"'<>]+)/g;
