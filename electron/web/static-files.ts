import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** Reads a file of the built renderer; refuses anything outside its folder. Unknown paths get index.html. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const resolved = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  const candidate = decoded === '/' || decoded === '' ? path.join(root, 'index.html') : resolved;
  try {
    const body = await fs.readFile(candidate);
    return { body, type: TYPES[path.extname(candidate)] ?? 'application/octet-stream' };
  } catch {
    if (path.extname(candidate)) return null;
    const body = await fs.readFile(path.join(root, 'index.html'));
    return { body, type: TYPES['.html']! };
  }
}
