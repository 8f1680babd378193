import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../build/scripts/electron-binary.mjs';

function fakePackage(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-electron-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("finding Electron's binary without downloading it", () => {
  it('finds the binary the install script wrote', () => {
    const dir = fakePackage({ 'path.txt': 'electron', 'dist/electron': '' });
    expect(electronBinary(dir, {})).toEqual({ path: path.join(dir, 'dist', 'electron'), why: null });
  });

  it('says why there is none: never downloaded, or missing from dist', () => {
    expect(electronBinary(fakePackage({}), {})).toEqual({ path: null, why: "npm install did not download Electron's binary" });
    const dir = fakePackage({ 'path.txt': 'electron' });
    expect(electronBinary(dir, {})).toEqual({ path: null, why: `Electron's binary is not at ${path.join(dir, 'dist', 'electron')}` });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the electron package does', () => {
    const dist = fakePackage({ electron: '' });
    expect(electronBinary(fakePackage({}), { ELECTRON_OVERRIDE_DIST_PATH: dist }).path).toBe(path.join(dist, 'electron'));
    const empty = fakePackage({});
    expect(electronBinary(fakePackage({}), { ELECTRON_OVERRIDE_DIST_PATH: empty })).toMatchObject({ path: null });
  });
});
