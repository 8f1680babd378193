import fs from 'node:fs';
import path from 'node:path';

/**
 * The Electron executable `npm install` downloaded, or why there is none. Read the way the electron
 * package's own index.js finds it (path.txt, dist/, ELECTRON_OVERRIDE_DIST_PATH), but without its
 * fallback of downloading the binary on the spot, which hangs or fails where GitHub is unreachable.
 */
export function electronBinary(packageDir, env = process.env) {
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    // no path.txt: the install script never finished (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network)
  }
  const file = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron')
    : relative
      ? path.join(packageDir, 'dist', relative)
      : null;
  if (!file) return { path: null, why: "npm install did not download Electron's binary" };
  if (!fs.existsSync(file)) return { path: null, why: `Electron's binary is not at ${file}` };
  return { path: file, why: null };
}
