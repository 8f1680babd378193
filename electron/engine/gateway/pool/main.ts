import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { RUNTIME_PORTS } from '../../../../shared/contract/runtime-protocol';
import { POOL_PORT } from '../shared/constants';
import { AUTH_HEADER, PoolAuth } from '../shared/pool-auth';
import { log } from '../server/log';

/**
 * A warm generic pod of one runtime (Fission's pool manager, in small): it runs with no function
 * until the gateway, at a revision's cold start, hands it that revision's files and environment;
 * it then starts the runtime server on them (in a child process, so "retire" can stop it cleanly
 * and leave nothing of the function behind) and serves the revision's calls on the usual ports
 * until the revision's own pod is ready. Its control port takes only calls signed with the pool key
 * (shared/pool-auth.ts): no other pod of the namespace can load code into it.
 */
export interface SpecializeRequest {
  revision: string;
  /** The runtime server's files (as its pod mounts them under /funcdeck/runtime) and the one to run. */
  runtime: { entry: string; files: Array<{ path: string; content: string }> };
  /** The revision's files as its pod would see them under /funcdeck/src. */
  files: Array<{ path: string; content: string }>;
  env: Record<string, string>;
}

const WORK = process.env.FUNCDECK_POOL_WORK_DIR ?? '/tmp/funcdeck';
const keyFile = process.env.FUNCDECK_POOL_KEY_FILE ?? '/funcdeck/key/key';
const auth = new PoolAuth(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64'));

let child: ChildProcess | null = null;
let serving: string | null = null;
let busy = false;
let generation = 0;

function safePath(root: string, rel: string): string {
  const p = path.resolve(root, rel);
  if (!p.startsWith(root + path.sep)) throw new Error(`refused path ${rel}`);
  return p;
}

function readyz(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: RUNTIME_PORTS.metrics, path: '/readyz', timeout: 500, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function specialize(r: SpecializeRequest): Promise<number> {
  const started = Date.now();
  const dir = path.join(WORK, `g${++generation}`);
  const src = path.join(dir, 'src');
  fs.mkdirSync(src, { recursive: true });
  for (const f of r.files) {
    const p = safePath(src, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content);
  }
  const rt = path.join(dir, 'runtime');
  fs.mkdirSync(rt, { recursive: true });
  for (const f of r.runtime.files) fs.writeFileSync(safePath(rt, f.path), f.content);
  const runtime = safePath(rt, r.runtime.entry);
  // Live update pushes into the revision's own pods only: the warm pod has no live volume, so no live directory.
  const { FUNCDECK_LIVE_DIR: _live, ...revisionEnv } = r.env;
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: dir, ...revisionEnv, FUNCDECK_SRC_DIR: src, FUNCDECK_HTTP_PORT: String(RUNTIME_PORTS.http), FUNCDECK_METRICS_PORT: String(RUNTIME_PORTS.metrics) };
  const c = spawn(process.execPath, [runtime], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child = c;
  serving = r.revision;
  let exited: number | null = null;
  c.on('exit', (code) => {
    exited = code ?? -1;
    if (child === c) {
      log(`the runtime of ${serving} exited (${code}); back to generic`);
      child = null;
      serving = null;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the runtime exited with code ${exited} before it was ready`);
    if (await readyz()) return Date.now() - started;
    await new Promise((res) => setTimeout(res, 5));
  }
  c.kill('SIGKILL');
  throw new Error('the runtime was not ready within 15 s');
}

async function retire(): Promise<void> {
  const c = child;
  if (!c) return;
  child = null;
  const was = serving;
  serving = null;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.once('exit', () => (clearTimeout(t), resolve()));
    c.kill('SIGTERM');
  });
  fs.rmSync(WORK, { recursive: true, force: true });
  log(`retired from ${was}; generic again`);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = (req.url ?? '/').split('?')[0]!;
    const reply = (code: number, value: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET' && url === '/healthz') return reply(200, { ok: true });
    if (req.method === 'GET' && url === '/readyz') return reply(busy ? 503 : 200, { serving });
    if (req.method !== 'POST' || (url !== '/specialize' && url !== '/retire')) return reply(404, { error: 'not found' });
    const why = auth.check(req.headers[AUTH_HEADER] as string | undefined, req.method, url, body);
    if (why) {
      log(`refused ${url} from ${req.socket.remoteAddress}: ${why}`);
      return reply(401, { error: 'unauthorized' });
    }
    if (url === '/retire') return void retire().then(() => reply(200, { serving: null }), (e: Error) => reply(500, { error: e.message }));
    if (busy || child) return reply(409, { error: `busy with ${serving ?? 'a specialisation'}` });
    busy = true;
    let r: SpecializeRequest;
    try {
      r = JSON.parse(body.toString('utf8')) as SpecializeRequest;
    } catch {
      busy = false;
      return reply(400, { error: 'not JSON' });
    }
    specialize(r).then(
      (ms) => {
        busy = false;
        log(`specialised for ${r.revision} in ${ms} ms`);
        reply(200, { serving: r.revision, readyMs: ms });
      },
      (e: Error) => {
        busy = false;
        log(`could not specialise for ${r.revision}: ${e.message}`);
        void retire();
        reply(500, { error: e.message });
      },
    );
  });
});
server.listen(POOL_PORT, '0.0.0.0', () => log(`warm pool pod ready on :${POOL_PORT} (runtime ${process.version})`));

function shutdown(): void {
  server.close();
  void retire().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 12_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
