'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// Live update (electron/engine/live): Funcdeck pushes saved code into the running pod through the
// API server (pod exec with the user's credentials; no port is opened): the exec'd shell writes a
// request into FUNCDECK_LIVE_DIR/inbox and sends this process SIGUSR2. Each request names the files
// that changed (with their text) and the ones to keep from the code running now; the code is
// composed in a new folder, a new handler worker loads it, and calls switch to it once it has loaded
// (worker-host.cjs reload()). The answer goes back as <id>.ack beside the request.
// At start the folder is emptied: a restarted container runs its revision's code.
const fs = require('node:fs');
const path = require('node:path');

function watchLive({ host, log, env, srcDir }) {
  const dir = env.FUNCDECK_LIVE_DIR;
  if (!dir) return;
  const inbox = path.join(dir, 'inbox');
  try {
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    fs.mkdirSync(inbox, { recursive: true });
  } catch (e) {
    log(`Live update is off in this pod: ${(e && e.message) || e}`);
    return;
  }
  let generation = 0;
  let current = srcDir;
  let running = false;
  let again = false;

  const ack = (id, answer) => {
    const file = path.join(inbox, `${id}.ack`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
    fs.renameSync(`${file}.tmp`, file); // whole or not at all: the shell waits for this name
  };

  async function apply(id) {
    const started = process.hrtime.bigint();
    const reqFile = path.join(inbox, `${id}.json`);
    let req;
    try {
      req = JSON.parse(fs.readFileSync(reqFile, 'utf8'));
    } finally {
      fs.rmSync(reqFile, { force: true });
    }
    if (!req.full && req.base !== generation) return ack(id, { ok: false, stale: true, generation });
    const next = path.join(dir, `g${generation + 1}`);
    fs.rmSync(next, { recursive: true, force: true });
    try {
      for (const rel of req.keep || []) {
        const to = path.join(next, rel);
        if (!to.startsWith(next + path.sep)) throw new Error(`refused path ${rel}`);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, fs.readFileSync(path.join(current, rel)));
      }
      for (const f of req.files || []) {
        const to = path.join(next, f.path);
        if (!to.startsWith(next + path.sep)) throw new Error(`refused path ${f.path}`);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, f.content);
      }
    } catch (e) {
      fs.rmSync(next, { recursive: true, force: true });
      // A file to keep that is not here: this pod's code is not what Funcdeck thinks; it sends everything.
      return ack(id, { ok: false, stale: true, generation, error: String((e && e.message) || e) });
    }
    const result = await host.reload(next);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!result.ok) {
      fs.rmSync(next, { recursive: true, force: true });
      log(`Live update ${generation + 1} not applied: ${result.error}`);
      return ack(id, { ok: false, generation, error: result.error, ms });
    }
    const old = current;
    current = next;
    generation++;
    if (old.startsWith(dir + path.sep)) fs.rmSync(old, { recursive: true, force: true });
    log(`Live update ${generation} applied in ${ms.toFixed(0)} ms: ${(req.files || []).length} file(s) changed; this pod now runs code that is not revision ${env.FUNCDECK_REVISION || '?'}.`);
    ack(id, { ok: true, generation, ms });
  }

  async function drain() {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        const ids = fs
          .readdirSync(inbox)
          .filter((n) => n.endsWith('.json'))
          .map((n) => n.slice(0, -5))
          .sort();
        for (const id of ids) {
          try {
            await apply(id);
          } catch (e) {
            ack(id, { ok: false, generation, error: String((e && e.message) || e) });
          }
        }
      } while (again);
    } finally {
      running = false;
    }
  }
  process.on('SIGUSR2', () => void drain());
}

module.exports = { watchLive };
