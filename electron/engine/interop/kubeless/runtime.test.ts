import { describe, expect, it } from 'vitest';
import { imageVersion, mapRuntime, versionWarning } from './runtime';

describe('kubeless runtime names', () => {
  it.each([
    ['nodejs6', 'nodejs', '6'],
    ['nodejs8', 'nodejs', '8'],
    ['nodejs10', 'nodejs', '10'],
    ['nodejs12', 'nodejs', '12'],
    ['nodejs14', 'nodejs', '14'],
    ['nodejs16', 'nodejs', '16'],
    ['nodejs18', 'nodejs', '18'],
    ['nodejs20', 'nodejs', '20'],
    ['nodejs_distroless8', 'nodejs', '8'],
    ['nodejsCE8', 'nodejs', '8'],
    ['python2.7', 'python', '2.7'],
    ['python3.4', 'python', '3.4'],
    ['python3.6', 'python', '3.6'],
    ['python3.7', 'python', '3.7'],
    ['python3.8', 'python', '3.8'],
    ['python3.9', 'python', '3.9'],
    ['python3.10', 'python', '3.10'],
    ['python3.11', 'python', '3.11'],
    ['python3.12', 'python', '3.12'],
  ])('%s runs on %s (kubeless version %s)', (name, runtime, version) => {
    expect(mapRuntime(name)).toMatchObject({ ok: true, runtime, version });
  });

  it.each([
    ['ruby2.4', 'ruby'],
    ['ruby2.5', 'ruby'],
    ['go1.14', 'go'],
    ['java1.8', 'java'],
    ['jvm1.8', 'jvm'],
    ['php7.2', 'php'],
    ['dotnetcore2.0', 'dotnetcore'],
    ['ballerina0.981.0', 'ballerina'],
    ['nodejsWithLodash8', 'nodejsWithLodash'],
    ['', ''],
  ])('%s cannot be carried (%s)', (name, family) => {
    expect(mapRuntime(name)).toEqual({ ok: false, family });
  });

  it('reads the version an image tag says', () => {
    expect(imageVersion('node:22-alpine')).toBe('22');
    expect(imageVersion('localhost/funcdeck/python:3.11')).toBe('3.11');
    expect(imageVersion('registry.example.com:5000/team/node:20.19.1')).toBe('20.19');
    expect(imageVersion('registry.example.com:5000/team/node')).toBeNull();
    expect(imageVersion('node:lts')).toBeNull();
  });

  it('warns when the version differs, and says nothing when it is the same', () => {
    const m = (n: string) => mapRuntime(n) as Extract<ReturnType<typeof mapRuntime>, { ok: true }>;
    expect(versionWarning('nodejs14', m('nodejs14'), 'node:22-alpine')).toBe(
      'kubeless ran this on Node.js 14 ("nodejs14"); Funcdeck runs Node.js 22 (image node:22-alpine). Check for changes between the versions, or set the function\'s image.',
    );
    expect(versionWarning('nodejs20', m('nodejs20'), 'localhost/funcdeck/node:20')).toBeNull();
    expect(versionWarning('python3.11', m('python3.11'), 'localhost/funcdeck/python:3.11')).toBeNull();
    expect(versionWarning('python3.8', m('python3.8'), 'python:3.12-alpine')).toMatch(/Python 3\.8 .*Python 3\.12/);
    expect(versionWarning('python2.7', m('python2.7'), 'python:3.12-alpine')).toMatch(/Python 2 code often needs changes/);
    expect(versionWarning('nodejsCE8', m('nodejsCE8'), 'node:8')).toMatch(/CE flavor/);
    expect(versionWarning('nodejs14', m('nodejs14'), 'my/node')).toMatch(/whose version its tag does not say/);
  });
});
