import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles, packArchive } from './archive';
import { partKey, partCount } from './delivery';
import { PART_BYTES } from './limits';

const require = createRequire(import.meta.url);
const { unpackDependencies } = require('../runtimes/nodejs/deps-unpack.cjs') as { unpackDependencies(env: Record<string, string>): string | null };
const RUNTIME_PY = path.resolve(__dirname, '../runtimes/python');

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-deps-archive-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A tree with a long path (PAX), an executable, a binary file and a symlink (which is not shipped). */
function sampleTree(): string {
  const root = tmp();
  const long = path.join(root, 'node_modules', '@scope', 'a-package-with-a-rather-long-name', 'lib', 'deeply', 'nested', 'folder', 'with', 'many', 'levels');
  fs.mkdirSync(long, { recursive: true });
  fs.writeFileSync(path.join(long, 'index-with-a-long-file-name-too.js'), 'module.exports = "long";\n');
  fs.mkdirSync(path.join(root, 'node_modules', 'ms'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'ms', 'index.js'), 'module.exports = () => 7200000;\n');
  fs.writeFileSync(path.join(root, 'node_modules', 'ms', 'bin.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'node_modules', 'ms', 'blob.bin'), Buffer.from([0, 1, 2, 255, 254, 0]));
  fs.symlinkSync('index.js', path.join(root, 'node_modules', 'ms', 'link.js'));
  return root;
}

/** Writes the archive cut into parts as the pod sees them (projected ConfigMap keys). */
function writeParts(gz: Buffer): string {
  const dir = tmp();
  for (let i = 0; i < partCount(gz.length); i++) fs.writeFileSync(path.join(dir, partKey(i)), gz.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
  return dir;
}

describe('dependency archive', () => {
  it('is byte-identical for identical trees, and unpacks the same in the Node and Python runtimes', async () => {
    const a = sampleTree();
    const entries = await listFiles(a);
    expect(entries.map((e) => e.path)).not.toContain('node_modules/ms/link.js');
    const one = await packArchive(entries);
    const two = await packArchive(await listFiles(sampleTree()));
    expect(two.digest).toBe(one.digest);
    expect(one.files).toBe(4);

    const parts = writeParts(one.gz);
    const nodeOut = tmp();
    const env = { FUNCDECK_DEPS_ARCHIVE: parts, FUNCDECK_DEPS_DIGEST: one.digest, FUNCDECK_DEPS_DIR: nodeOut };
    expect(unpackDependencies(env)).toMatch(/unpacked: 4 files/);
    expect(unpackDependencies(env)).toMatch(/already unpacked/); // a restarted container skips the work
    const pyOut = tmp();
    const line = execFileSync('python3', ['-c', `import os,sys; sys.path.insert(0, ${JSON.stringify(RUNTIME_PY)}); from funcdeck_deps import unpack_dependencies; print(unpack_dependencies(os.environ))`], {
      env: { ...process.env, ...env, FUNCDECK_DEPS_DIR: pyOut },
    }).toString();
    expect(line).toMatch(/unpacked: 4 files/);
    for (const out of [nodeOut, pyOut]) {
      for (const e of entries) expect(fs.readFileSync(path.join(out, e.path))).toEqual(fs.readFileSync(e.abs));
      expect(fs.statSync(path.join(out, 'node_modules/ms/bin.sh')).mode & 0o111).not.toBe(0);
      expect(fs.statSync(path.join(out, 'node_modules/ms/index.js')).mode & 0o111).toBe(0);
    }
  }, 30_000);

  it('refuses parts that do not add up to the digest, naming both', async () => {
    const packed = await packArchive(await listFiles(sampleTree()));
    const parts = writeParts(packed.gz);
    fs.appendFileSync(path.join(parts, partKey(0)), 'x');
    expect(() => unpackDependencies({ FUNCDECK_DEPS_ARCHIVE: parts, FUNCDECK_DEPS_DIGEST: packed.digest, FUNCDECK_DEPS_DIR: tmp() })).toThrow(/does not match the revision .*expected/);
  });

  it('is cut into ConfigMap-sized parts that join back exactly', async () => {
    const root = tmp();
    // Incompressible content, so the archive needs more than one part.
    fs.writeFileSync(path.join(root, 'random.bin'), randomBytes(PART_BYTES + 5000));
    const packed = await packArchive(await listFiles(root));
    expect(partCount(packed.gz.length)).toBe(2);
    const out = tmp();
    unpackDependencies({ FUNCDECK_DEPS_ARCHIVE: writeParts(packed.gz), FUNCDECK_DEPS_DIGEST: packed.digest, FUNCDECK_DEPS_DIR: out });
    expect(fs.readFileSync(path.join(out, 'random.bin'))).toEqual(fs.readFileSync(path.join(root, 'random.bin')));
  }, 30_000);
});
