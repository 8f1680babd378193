import { describe, expect, it } from 'vitest';
import { parseWebArgs } from './args';

describe('browser-mode arguments', () => {
  it('defaults to any free port', () => expect(parseWebArgs([])).toEqual({ port: 0 }));
  it('takes --port N and --port=N', () => {
    expect(parseWebArgs(['--port', '5173'])).toEqual({ port: 5173 });
    expect(parseWebArgs(['--port=8080'])).toEqual({ port: 8080 });
  });
  it('refuses bad ports and unknown options with a usage hint', () => {
    expect(() => parseWebArgs(['--port', 'x'])).toThrow(/--port needs a number/);
    expect(() => parseWebArgs(['--port', '70000'])).toThrow(/--port needs a number/);
    expect(() => parseWebArgs(['--host', '0.0.0.0'])).toThrow(/Unknown option "--host"/);
  });
});
