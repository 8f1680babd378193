import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Installed dependencies as one deterministic .tar.gz: regular files only, sorted, mtime 0, owner 0,
 * mode 644 or 755, PAX records for paths over 100 bytes. Equal installs give equal bytes, so equal
 * archives share their ConfigMaps (named by digest). The pod's runtime unpacks it (nodejs/deps-unpack.cjs,
 * python/funcdeck_deps.py: Python's tarfile reads the same format).
 */

export interface PackedArchive {
  gz: Buffer;
  /** sha256 of gz, hex. */
  digest: string;
  files: number;
  /** Bytes of the files unpacked. */
  unpackedBytes: number;
  /** What they occupy in whole 4 KiB pages (a memory-backed volume's real use: a 10-byte file takes a page). */
  allocatedBytes: number;
}

export interface ArchiveEntry {
  /** Path inside the archive, "/" separated, relative. */
  path: string;
  abs: string;
}

/** Every regular file under `root` (symlinks and special files skipped), as sorted archive entries, filtered by `keep(relPath, isDir)`. */
export async function listFiles(root: string, keep: (rel: string, isDir: boolean) => boolean = () => true): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (keep(r, true)) await walk(path.join(dir, e.name), r);
      } else if (e.isFile() && keep(r, false)) {
        out.push({ path: r, abs: path.join(dir, e.name) });
      }
    }
  }
  await walk(root, '');
  return out;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

/** The tar stream (uncompressed) of the entries. */
export async function tarEntries(entries: ArchiveEntry[]): Promise<{ tar: Buffer; unpackedBytes: number; allocatedBytes: number }> {
  const parts: Buffer[] = [];
  let unpackedBytes = 0;
  let allocatedBytes = 0;
  for (const e of entries) {
    const [data, stat] = await Promise.all([fs.readFile(e.abs), fs.stat(e.abs)]);
    const mode = stat.mode & 0o111 ? 0o755 : 0o644;
    const nameBytes = Buffer.byteLength(e.path);
    let name = e.path;
    if (nameBytes > 100) {
      const pax = paxRecord('path', e.path);
      parts.push(header('PaxHeader', pax.length, 0o644, 'x'), pax, pad(pax.length));
      name = Buffer.from(e.path).subarray(0, 100).toString('utf8').replace(/\uFFFD+$/, '');
    }
    parts.push(header(name, data.length, mode, '0'), data, pad(data.length));
    unpackedBytes += data.length;
    allocatedBytes += Math.max(1, Math.ceil(data.length / 4096)) * 4096;
  }
  parts.push(Buffer.alloc(1024));
  return { tar: Buffer.concat(parts), unpackedBytes, allocatedBytes };
}

const gzip = promisify(zlib.gzip);

export async function packArchive(entries: ArchiveEntry[]): Promise<PackedArchive> {
  const { tar, unpackedBytes, allocatedBytes } = await tarEntries(entries);
  // Level 9: the archive travels through the API server and etcd once per distinct install; a few
  // hundred milliseconds more here buys smaller objects for every pod start.
  const gz = await gzip(tar, { level: 9 });
  return { gz, digest: createHash('sha256').update(gz).digest('hex'), files: entries.length, unpackedBytes, allocatedBytes };
}
