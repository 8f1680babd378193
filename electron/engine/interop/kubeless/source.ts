import { createHash } from 'node:crypto';
import { MAX_SOURCE_BYTES, SourceFile } from '../../../../shared/contract/functions';
import type { NotCarried } from '../../../../shared/contract/interop';
import { ArchiveError, unpack, type ArchiveFile } from './archive';

/**
 * A kubeless function's code as Funcdeck source files. `spec.function` is the code itself
 * (content type "text" or empty), base64 of it ("base64"), a base64 zip or compressed tar of several
 * files ("base64+zip", "base64+compressedtar"; "+deps" when the archive brings its dependencies), or a
 * URL ("url", "url+zip", ...), which is not fetched. `spec.checksum` ("sha256:<hex>") is checked.
 */

export interface DecodedSource {
  files: SourceFile[];
  /** A dependency manifest found in an archive (package.json / requirements.txt at its root). */
  archiveDependencies: string | null;
  warnings: string[];
  notCarried: NotCarried[];
}

const MAX_FILES = 50;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function checksumWarning(checksum: string | undefined, bytes: Uint8Array): string | null {
  if (!checksum) return null;
  const [algo, want] = checksum.split(':');
  if (algo !== 'sha256' || !want) return `Its checksum "${checksum}" is in a form kubeless did not make (sha256:<hex>), so it was not checked.`;
  const got = createHash('sha256').update(bytes).digest('hex');
  return got === want.toLowerCase() ? null : `Its source does not match its checksum (sha256 ${want.slice(0, 12)}..., the source gives ${got.slice(0, 12)}...): it was changed after kubeless computed it. Review the code.`;
}

export async function decodeSource(opts: {
  content: string;
  contentType: string;
  checksum: string | undefined;
  /** The handler's file for a single-file source: module name plus the runtime's extension. */
  handlerFile: string;
  dependencyFile: 'package.json' | 'requirements.txt';
}): Promise<DecodedSource> {
  const { content, contentType } = opts;
  const out: DecodedSource = { files: [], archiveDependencies: null, warnings: [], notCarried: [] };
  const type = contentType.trim();
  if (type.startsWith('url')) {
    out.notCarried.push({ what: `spec.function: the source at ${content}`, why: 'Funcdeck does not download sources; download it and put its files in the function (a placeholder handler file stands in).' });
    out.files.push({ path: opts.handlerFile, content: `${opts.handlerFile.endsWith('.py') ? '#' : '//'} kubeless took this function's source from ${content}; paste it here.\n` });
    return out;
  }
  const known = ['', 'text', 'base64', 'base64+zip', 'base64+compressedtar', 'text+zip', 'text+compressedtar'];
  const base = type.replace(/\+deps$/, '');
  if (!known.includes(base)) {
    out.notCarried.push({ what: `spec.function-content-type "${type}"`, why: 'kubeless does not write this content type either; the source was taken as plain text.' });
  }
  const isBase64 = base.startsWith('base64') || base.endsWith('+zip') || base.endsWith('+compressedtar');
  const bytes = isBase64 ? Buffer.from(content.replace(/\s+/g, ''), 'base64') : Buffer.from(content, 'utf8');
  const warning = checksumWarning(opts.checksum, bytes);
  if (warning) out.warnings.push(warning);

  if (!base.endsWith('+zip') && !base.endsWith('+compressedtar')) {
    const text = asText(bytes);
    if (text === null) {
      out.notCarried.push({ what: 'spec.function', why: `The source is ${bytes.length} bytes of binary data, not text; Funcdeck keeps sources as text.` });
      out.files.push({ path: opts.handlerFile, content: '' });
    } else out.files.push({ path: opts.handlerFile, content: text });
    return out;
  }

  let entries: ArchiveFile[];
  try {
    entries = await unpack(base.endsWith('+zip') ? 'zip' : 'tar', bytes);
  } catch (e) {
    out.notCarried.push({ what: 'spec.function', why: `The archive could not be read: ${e instanceof ArchiveError ? e.message : String(e)}.` });
    out.files.push({ path: opts.handlerFile, content: '' });
    return out;
  }
  if (type.endsWith('+deps')) out.warnings.push('The archive brought its dependencies along ("+deps"); Funcdeck installs them from the dependency manifest instead.');
  collectFiles(entries, opts, out);
  return out;
}

function collectFiles(entries: ArchiveFile[], opts: { handlerFile: string; dependencyFile: string }, out: DecodedSource): void {
  const skipped = { modules: 0, meta: 0 };
  let total = 0;
  // The handler first, so the limits never leave it out.
  const sorted = [...entries].sort((a, b) => Number(b.path.replace(/^\.\//, '') === opts.handlerFile) - Number(a.path.replace(/^\.\//, '') === opts.handlerFile) || a.path.localeCompare(b.path));
  for (const entry of sorted) {
    const path = entry.path.replace(/^\.\//, '');
    if (/(^|\/)node_modules\//.test(path)) {
      skipped.modules++;
      continue;
    }
    if (/(^|\/)__MACOSX\//.test(path) || /(^|\/)\.DS_Store$/.test(path) || /(^|\/)__pycache__\//.test(path) || path.endsWith('.pyc')) {
      skipped.meta++;
      continue;
    }
    const text = asText(entry.bytes);
    if (text === null) {
      out.notCarried.push({ what: `${path} (${entry.bytes.length} bytes)`, why: 'A binary file; Funcdeck keeps sources as text.' });
      continue;
    }
    if (path === opts.dependencyFile) {
      out.archiveDependencies = text;
      continue;
    }
    const checked = SourceFile.safeParse({ path, content: text });
    if (!checked.success) {
      out.notCarried.push({ what: path, why: checked.error.issues[0]?.message ?? 'Not a path Funcdeck takes.' });
      continue;
    }
    const size = Buffer.byteLength(text);
    if (out.files.length >= MAX_FILES || total + size > MAX_SOURCE_BYTES) {
      out.notCarried.push({ what: path, why: `Past Funcdeck's limits for one function (${MAX_FILES} files, ${MAX_SOURCE_BYTES / 1024} KB of sources).` });
      continue;
    }
    total += size;
    out.files.push(checked.data);
  }
  if (skipped.modules) out.notCarried.push({ what: `node_modules/ (${skipped.modules} files)`, why: 'Bundled packages are not carried; list them in package.json and Funcdeck installs them.' });
  if (skipped.meta) out.warnings.push(`${skipped.meta} archive bookkeeping file(s) (__MACOSX, .DS_Store, __pycache__) were left out.`);
}
