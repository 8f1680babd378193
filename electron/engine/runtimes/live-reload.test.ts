import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from './local-runner.test-support';

/**
 * Live update inside the runtime: a request in FUNCDECK_LIVE_DIR/inbox plus SIGUSR2 (what the engine's
 * pod exec does) makes the server load the new code in place and answer <id>.ack; the next call runs
 * the new code. Both runtimes, as local processes.
 */
const running: Array<{ rt: LocalRuntime; dir: string }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.rt.stop();
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

let seq = 0;
async function push(rt: LocalRuntime, liveDir: string, req: Record<string, unknown>): Promise<{ ok: boolean; generation: number; stale?: boolean; error?: string }> {
  const id = `r${Date.now()}-${++seq}`;
  const inbox = path.join(liveDir, 'inbox');
  fs.writeFileSync(path.join(inbox, `${id}.json.tmp`), JSON.stringify(req));
  fs.renameSync(path.join(inbox, `${id}.json.tmp`), path.join(inbox, `${id}.json`));
  process.kill(rt.process.pid!, 'SIGUSR2');
  const ack = path.join(inbox, `${id}.ack`);
  const end = Date.now() + 20_000;
  while (!fs.existsSync(ack)) {
    if (Date.now() > end) throw new Error(`no answer to ${id}; runtime said:\n${rt.lines.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return JSON.parse(fs.readFileSync(ack, 'utf8'));
}

const CASES = {
  nodejs: {
    handler: (v: string) => `const lib = require('./lib');\nlet calls = 0;\nexports.main = () => '${v} ' + lib.x + ' ' + (++calls);\n`,
    lib: ['lib.js', "exports.x = 'kept';\n"],
    broken: 'exports.main = () => {\n',
    file: 'handler.js',
  },
  python: {
    handler: (v: string) => `import lib\ncalls = [0]\n\ndef main(event, context):\n    calls[0] += 1\n    return "${v} %s %d" % (lib.x, calls[0])\n`,
    lib: ['lib.py', "x = 'kept'\n"],
    broken: 'def main(event, context):\n    return (\n',
    file: 'handler.py',
  },
} as const;

describe.each(['nodejs', 'python'] as const)('live update in the %s runtime', (runtime) => {
  it('loads pushed code in place: changed files plus kept ones; a stale base or broken code leaves the running code', async () => {
    const c = CASES[runtime];
    const liveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-live-'));
    fs.writeFileSync(path.join(liveDir, 'leftover'), 'from a previous run of the container');
    const rt = await startLocalRuntime(runtime, { [c.file]: c.handler('v1'), [c.lib[0]]: c.lib[1] }, { FUNCDECK_LIVE_DIR: liveDir });
    running.push({ rt, dir: liveDir });
    expect(fs.existsSync(path.join(liveDir, 'leftover'))).toBe(false); // a (re)started container runs its revision's code
    expect(await get(rt.http)).toBe('v1 kept 1');

    expect(await push(rt, liveDir, { full: true, files: [{ path: c.file, content: c.handler('v2') }, { path: c.lib[0], content: c.lib[1] }], keep: [] })).toMatchObject({ ok: true, generation: 1 });
    expect(await get(rt.http)).toBe('v2 kept 1'); // new code, fresh module state

    // Only the changed file travels; the rest is kept from the code running now.
    expect(await push(rt, liveDir, { base: 1, files: [{ path: c.file, content: c.handler('v3') }], keep: [c.lib[0]] })).toMatchObject({ ok: true, generation: 2 });
    expect(await get(rt.http)).toBe('v3 kept 1');

    expect(await push(rt, liveDir, { base: 1, files: [{ path: c.file, content: c.handler('v4') }], keep: [c.lib[0]] })).toMatchObject({ ok: false, stale: true, generation: 2 });
    const broken = await push(rt, liveDir, { base: 2, files: [{ path: c.file, content: c.broken }], keep: [c.lib[0]] });
    expect(broken).toMatchObject({ ok: false, generation: 2 });
    expect(broken.error).toMatch(/SyntaxError|syntax|never closed|Unexpected end/i);
    expect(await get(rt.http)).toBe('v3 kept 2');
    expect(rt.lines.join('\n')).toMatch(/Live update 2 applied in \d+ ms/);
  }, 60_000);
});
