'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// Unpacks the function's dependencies at pod start, before the handler loads. Funcdeck installs them
// on the developer's machine and ships them as a .tar.gz cut into parts, one per ConfigMap, mounted
// together at FUNCDECK_DEPS_ARCHIVE (see electron/engine/deps/README.md). They are written to
// FUNCDECK_DEPS_DIR (an emptyDir; NODE_PATH points at its node_modules). A container restarted in the
// same pod finds them unpacked already (the marker file holds the digest) and skips the work.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const crypto = require('node:crypto');

const MARKER = '.funcdeck-deps';

/** Reads octal number fields of a tar header. */
function num(buf, off, len) {
  const s = buf.toString('ascii', off, off + len).replace(/\0.*$/, '').trim();
  return s ? parseInt(s, 8) : 0;
}

function paxPath(data) {
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(data.toString('ascii', off, sp));
    if (!len) break;
    const rec = data.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (rec.slice(0, eq) === 'path') return rec.slice(eq + 1);
    off += len;
  }
  return null;
}

/** Writes each regular file of a tar buffer under `dir`; refuses paths that leave it. Returns the file count. */
function untar(tar, dir) {
  const root = path.resolve(dir);
  const made = new Set();
  let off = 0;
  let files = 0;
  let longName = null;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = num(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = paxPath(data);
      continue;
    }
    const prefix = h.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    const short = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const name = longName || (prefix ? prefix + '/' + short : short);
    longName = null;
    if (type !== '0' && type !== '\0') continue; // only regular files are shipped
    const target = path.resolve(root, name);
    if (!target.startsWith(root + path.sep)) throw new Error(`the dependency archive holds a path outside its folder: ${name}`);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(target, data, { mode: num(h, 100, 8) & 0o111 ? 0o755 : 0o644 });
    files++;
  }
  return files;
}

/**
 * Unpacks the archive named by FUNCDECK_DEPS_ARCHIVE/FUNCDECK_DEPS_DIGEST into FUNCDECK_DEPS_DIR.
 * Returns a line for the log, or null when the function has no dependencies. Throws with a clear
 * message when the parts are missing or do not add up to the digest.
 */
function unpackDependencies(env) {
  const archiveDir = env.FUNCDECK_DEPS_ARCHIVE;
  const digest = env.FUNCDECK_DEPS_DIGEST;
  const depsDir = env.FUNCDECK_DEPS_DIR || '/funcdeck/deps';
  if (!archiveDir || !digest) return null;
  const started = process.hrtime.bigint();
  try {
    if (fs.readFileSync(path.join(depsDir, MARKER), 'utf8') === digest) return `Dependencies ${digest.slice(0, 12)} already unpacked in this pod.`;
  } catch {
    // not unpacked yet
  }
  const parts = fs.readdirSync(archiveDir).filter((n) => /^part-\d+$/.test(n)).sort();
  const gz = Buffer.concat(parts.map((p) => fs.readFileSync(path.join(archiveDir, p))));
  const got = crypto.createHash('sha256').update(gz).digest('hex');
  if (got !== digest) throw new Error(`The dependency archive in the pod does not match the revision (sha256 ${got.slice(0, 12)}, expected ${digest.slice(0, 12)}; ${parts.length} part(s)). Deploy again.`);
  const files = untar(zlib.gunzipSync(gz), depsDir);
  fs.writeFileSync(path.join(depsDir, MARKER), digest);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return `Dependencies ${digest.slice(0, 12)} unpacked: ${files} files from ${(gz.length / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms.`;
}

module.exports = { unpackDependencies, untar };
