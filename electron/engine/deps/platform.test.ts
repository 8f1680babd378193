import { describe, expect, it } from 'vitest';
import { checkPackageJson, checkRequirements, lineOfRequirement } from './manifest-check';
import { formatLock, parseLock, requirementsDigest } from './pip-install';
import { imagePlatform, platformKey, wheelPlatformTags } from './platform';

describe('image platform', () => {
  it('reads libc and Python version from official tags', () => {
    expect(imagePlatform('nodejs', 'node:22-alpine')).toMatchObject({ libc: 'musl', glibc: null, python: null });
    expect(imagePlatform('nodejs', 'docker.io/library/node:22-bookworm-slim')).toMatchObject({ libc: 'glibc', glibc: '2.36' });
    expect(imagePlatform('python', 'python:3.12-alpine')).toMatchObject({ libc: 'musl', python: '3.12' });
    expect(imagePlatform('python', 'python:3.10-slim-bullseye')).toMatchObject({ libc: 'glibc', glibc: '2.31', python: '3.10' });
    expect(imagePlatform('python', 'localhost/funcdeck/python:3.11')).toMatchObject({ libc: 'glibc', python: '3.11' });
  });

  it('takes the setting for an image first, and says where a Python image without a version needs one', () => {
    expect(imagePlatform('python', 'registry.example/team/py:prod', { 'registry.example/team/py:prod': { libc: 'musl', python: '3.13' } })).toMatchObject({
      libc: 'musl',
      python: '3.13',
      how: expect.stringMatching(/set in Settings/),
    });
    expect(() => imagePlatform('python', 'registry.example/team/py:prod')).toThrow(/cannot tell which Python version .*Set the image's platform .* in Settings/);
    expect(imagePlatform('nodejs', 'registry.example/team/node:prod').how).toMatch(/assumed .*glibc.*set its platform in Settings/);
  });

  it('lists every manylinux tag an image glibc loads, newest first, and musllinux for alpine', () => {
    const tags = wheelPlatformTags({ arch: 'x64', libc: 'glibc', glibc: '2.36', python: '3.11', how: '' });
    expect(tags[0]).toBe('manylinux_2_36_x86_64');
    expect(tags).toEqual(expect.arrayContaining(['manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'manylinux1_x86_64']));
    expect(tags).not.toContain('manylinux_2_37_x86_64');
    expect(wheelPlatformTags({ arch: 'arm64', libc: 'musl', glibc: null, python: '3.12', how: '' })).toEqual(['musllinux_1_2_aarch64', 'musllinux_1_1_aarch64']);
    expect(platformKey(imagePlatform('python', 'python:3.12-alpine'))).toMatch(/musl-py3\.12$/);
  });
});

describe('manifest checks', () => {
  it('marks a package.json dependency of the wrong shape at its line', () => {
    const text = '{\n  "name": "x",\n  "dependencies": {\n    "ms": 2,\n    "local": "file:../lib"\n  },\n  "devDependencies": []\n}\n';
    const d = checkPackageJson(text);
    expect(d.map((x) => x.line)).toEqual([4, 5, 7]);
    expect(d[0]!.message).toMatch(/^The version of "ms" must be text/);
    expect(d[1]!.message).toMatch(/^"local" points at a local path/);
    expect(d[2]!.message).toMatch(/^"devDependencies" must be an object/);
    expect(checkPackageJson('{"dependencies":{"lodash":"^4"}}')).toEqual([]);
  });

  it("checks requirements.txt with pip's own parser, naming the line", async () => {
    const out = await checkRequirements('six==1.16.0\n# a comment\nmarkupsafe>=2 ; python_version >= "3.8"\nfoo===bar baz\n-e ./local\n', 'python3');
    expect(out.unavailable).toBeNull();
    expect(out.diagnostics.map((d) => d.line)).toEqual([4, 5]);
    expect(out.diagnostics[0]!.message).toMatch(/Not a valid requirement/);
    expect(lineOfRequirement('six\nMarkup_Safe==2\n', 'markup-safe')).toBe(2);
  });

  it('writes a pip lock with hashes that reads back, tied to its requirements', () => {
    const platform = imagePlatform('python', 'python:3.12-slim');
    const pkgs = [
      { name: 'six', version: '1.16.0', sha256: 'a'.repeat(64) },
      { name: 'MarkupSafe', version: '2.1.5', sha256: null },
    ];
    const lock = formatLock('six\nmarkupsafe\n', platform, pkgs);
    expect(lock).toContain(`sha256:${requirementsDigest('six\nmarkupsafe\n')}`);
    expect(lock).toMatch(/^MarkupSafe==2\.1\.5\nsix==1\.16\.0 \\\n {4}--hash=sha256:a{64}\n$/m);
    expect(parseLock(lock)).toEqual([pkgs[1], pkgs[0]]);
  });
});
