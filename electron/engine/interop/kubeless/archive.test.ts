import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArchiveError, MAX_UNPACKED_BYTES, unpack, untar } from './archive';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '../../../../test/fixtures/kubeless', name)));
const text = (files: Array<{ path: string; bytes: Uint8Array }>) => Object.fromEntries(files.map((f) => [f.path, Buffer.from(f.bytes).toString('utf8')]));

/** A tar entry as tar writes it (ustar header, content padded to 512 bytes). */
function tarEntry(name: string, content: string | Buffer, type = '0'): Buffer {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0);
  h.write('0000644\0', 100);
  h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

describe('archives kubeless takes', () => {
  const expected = ['helloget.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js'];

  it.each(['helloFunctions.zip', 'helloFunctions.tar.gz', 'helloFunctions.tar.bz2', 'helloFunctions.tar.xz'])('unpacks kubeless’s own example %s', async (name) => {
    const files = await unpack(name.endsWith('.zip') ? 'zip' : 'tar', fixture(name));
    expect(files.map((f) => f.path).sort()).toEqual(expected);
    expect(text(files)['index.js']).toContain("helloGet: require('./helloget').foo");
  });

  it('reads plain tar, GNU long names and pax paths, and skips folders and links', () => {
    const long = `deep/${'a'.repeat(120)}.js`;
    const tar = Buffer.concat([
      tarEntry('lib/', '', '5'),
      tarEntry('lib/util.js', 'exports.x = 1;'),
      tarEntry('././@LongLink', `${long}\0`, 'L'),
      tarEntry(long.slice(0, 100), 'long();'),
      tarEntry('PaxHeader', `${`30 path=pax/${'b'.repeat(14)}.py\n`}`, 'x'),
      tarEntry('short', 'pax = 1'),
      tarEntry('link.js', '', '2'),
      Buffer.alloc(1024),
    ]);
    expect(text(untar(tar))).toEqual({ 'lib/util.js': 'exports.x = 1;', [long]: 'long();', [`pax/${'b'.repeat(14)}.py`]: 'pax = 1' });
  });

  it('refuses damaged archives and archives that unpack past the bound, saying so', async () => {
    await expect(unpack('zip', new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/not a readable zip archive/);
    const cut = Buffer.concat([tarEntry('a.js', 'x'.repeat(2000))]).subarray(0, 700);
    await expect(unpack('tar', gzipSync(cut))).rejects.toThrow(/cut short or damaged/);
    const bomb = zipSync({ 'big.txt': new Uint8Array(MAX_UNPACKED_BYTES + 1) }, { level: 9 });
    await expect(unpack('zip', bomb)).rejects.toThrow(ArchiveError);
    await expect(unpack('tar', gzipSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1024)))).rejects.toThrow(/could not be decompressed/);
  });

  it('stops unpacking a bzip2 bomb at the bound instead of unpacking all of it in memory first', async () => {
    // 1 GiB of zeros in 1 KB (bzip2 -9): an engine that unpacked it whole before looking would hold
    // a GiB and spend many seconds doing it; the bound is 32 MB, well under a second of work.
    const bomb = Buffer.from(BZIP2_GIB_OF_ZEROS, 'base64');
    const t0 = performance.now();
    await expect(unpack('tar', bomb)).rejects.toThrow(/unpacks to more than 32 MB/);
    // Generous for a loaded machine; unpacking the whole GiB takes about ten times this here.
    expect(performance.now() - t0).toBeLessThan(5000);
  }, 120_000);
});

const BZIP2_GIB_OF_ZEROS = 'QlpoOTFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1lIfF/JAIpSyADAAAAEAAggADDMBSmmkSJDYUSJDxdyRThQkPaI5AI=';
