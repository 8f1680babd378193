import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState } from './window-state';
import { isExternalLink } from './links';

describe('window state', () => {
  it('remembers size, position and maximized state', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-win-'));
    saveWindowState(dir, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(dir)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });
  it('falls back to defaults for a missing, corrupt or too small file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-win-'));
    expect(loadWindowState(dir).width).toBe(1400);
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{"width": 50, "height": 50}');
    expect(loadWindowState(dir).width).toBe(1400);
    fs.writeFileSync(path.join(dir, 'window-state.json'), 'garbage');
    expect(loadWindowState(dir).height).toBe(900);
  });
});

describe('external links', () => {
  it('opens only http and https outside the app', () => {
    expect(isExternalLink('https://kubernetes.io')).toBe(true);
    expect(isExternalLink('http://localhost:3000')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('mailto:a@b.c')).toBe(false);
    expect(isExternalLink('not a url')).toBe(false);
  });
});
