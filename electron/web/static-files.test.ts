import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatic } from './static-files';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-static-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<html>app</html>');
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), 'x()');
  fs.writeFileSync(path.join(os.tmpdir(), 'fd-secret.txt'), 'secret');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('static files of the built renderer', () => {
  it('serves files with their type and index.html at /', async () => {
    expect((await readStatic(root, '/assets/a.js'))?.type).toMatch(/javascript/);
    expect((await readStatic(root, '/'))?.body.toString()).toBe('<html>app</html>');
  });
  it('never leaves the renderer folder', async () => {
    expect(await readStatic(root, '/../fd-secret.txt')).toBeNull();
    expect(await readStatic(root, '/%2e%2e/fd-secret.txt')).toBeNull();
  });
  it('answers unknown app routes with index.html but missing assets with nothing', async () => {
    expect((await readStatic(root, '/functions/hello'))?.body.toString()).toBe('<html>app</html>');
    expect(await readStatic(root, '/assets/missing.js')).toBeNull();
  });
});
