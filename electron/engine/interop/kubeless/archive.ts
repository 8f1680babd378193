import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import Bunzip from 'seek-bzip';
import xz from 'xz-decompress';

/**
 * The archives kubeless takes as a function's source: zip ("+zip") and tar compressed any way its
 * `tar xf` reads ("+compressedtar": gzip, bzip2, xz; plain tar too). Read in memory, bounded, and
 * never written to disk.
 */

export interface ArchiveFile {
  path: string;
  bytes: Uint8Array;
}

/** Past this many bytes unpacked, the archive is refused (a function's sources stay far below). */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

export class ArchiveError extends Error {}

export async function unpack(kind: 'zip' | 'tar', bytes: Uint8Array): Promise<ArchiveFile[]> {
  return kind === 'zip' ? unpackZip(bytes) : untar(await decompress(bytes));
}

function unpackZip(bytes: Uint8Array): ArchiveFile[] {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new ArchiveError(`the zip archive unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`);
        return !f.name.endsWith('/');
      },
    });
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(`not a readable zip archive (${e instanceof Error ? e.message : String(e)})`);
  }
  return Object.entries(entries).map(([path, data]) => ({ path, bytes: data }));
}

const startsWith = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);

/** gzip, bzip2 or xz by their magic bytes (as `tar xf` does); anything else is taken as plain tar. */
export async function decompress(b: Uint8Array): Promise<Uint8Array> {
  try {
    if (startsWith(b, [0x1f, 0x8b])) return gunzipSync(b, { maxOutputLength: MAX_UNPACKED_BYTES });
    if (startsWith(b, [0x42, 0x5a, 0x68])) return unbzip2(b);
    if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return await unxz(b);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(`the compressed tar archive could not be decompressed (${e instanceof Error ? e.message : String(e)})`);
  }
  return b;
}

/** bzip2 into a bounded output: a small archive can unpack to gigabytes, so it stops at the bound. */
function unbzip2(b: Uint8Array): Uint8Array {
  let buffer = Buffer.alloc(64 * 1024);
  let pos = 0;
  const output = {
    writeByte(byte: number) {
      if (pos === buffer.length) {
        if (pos >= MAX_UNPACKED_BYTES) throw new ArchiveError(`the archive unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`);
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, MAX_UNPACKED_BYTES));
        buffer.copy(bigger);
        buffer = bigger;
      }
      buffer[pos++] = byte;
    },
  };
  Bunzip.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), output);
  return buffer.subarray(0, pos);
}

async function unxz(b: Uint8Array): Promise<Uint8Array> {
  const stream = new xz.XzReadableStream(new Blob([b]).stream());
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_UNPACKED_BYTES) {
      await reader.cancel();
      throw new ArchiveError(`the archive unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const text = (b: Uint8Array, start: number, len: number) => {
  const field = b.subarray(start, start + len);
  const end = field.indexOf(0);
  return Buffer.from(end >= 0 ? field.subarray(0, end) : field).toString('utf8');
};
const octal = (b: Uint8Array, start: number, len: number) => parseInt(text(b, start, len).trim() || '0', 8);

/** Regular files of a tar archive (ustar, GNU long names, pax path records); links and folders are skipped. */
export function untar(b: Uint8Array): ArchiveFile[] {
  const files: ArchiveFile[] = [];
  let offset = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (offset + 512 <= b.length) {
    const header = b.subarray(offset, offset + 512);
    if (header.every((x) => x === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    if (!Number.isFinite(size) || size < 0 || offset + 512 + size > b.length) throw new ArchiveError('the tar archive is cut short or damaged');
    const body = b.subarray(offset + 512, offset + 512 + size);
    const prefix = text(header, 345, 155);
    const name = longName ?? paxPath ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    if (type === 'L') longName = Buffer.from(body).toString('utf8').replace(/\0+$/, '');
    else if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(body).toString('utf8'))?.[1] ?? null;
    else {
      if (type === '0' || type === '\0' || type === '7') files.push({ path: name, bytes: body });
      longName = null;
      paxPath = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
