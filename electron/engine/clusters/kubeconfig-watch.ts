import fs from 'node:fs';
import path from 'node:path';

/**
 * Calls `onChange` (debounced) whenever one of the kubeconfig files may have changed: fs.watch on each
 * file and on its folder (editors and `kind` replace the file by rename, which a file watch alone misses),
 * plus a slow poll of the files' mtimes as a safety net where fs.watch is unreliable (network folders).
 */
export function watchKubeconfigFiles(
  files: string[],
  onChange: () => void,
  signal: AbortSignal,
  opts: { debounceMs?: number; pollMs?: number } = {},
): void {
  const debounceMs = opts.debounceMs ?? 150;
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const names = new Set(files.map((f) => path.basename(f)));
  const fire = () => {
    if (signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const tryWatch = (target: string, filter?: (name: string | null) => boolean) => {
    try {
      const w = fs.watch(target, { persistent: false }, (_event, name) => {
        if (!filter || filter(name ? String(name) : null)) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // missing file or folder: the poll below notices when it appears
    }
  };
  for (const dir of new Set(files.map((f) => path.dirname(f)))) tryWatch(dir, (name) => name === null || names.has(name) || names.has(name.replace(/\.(lock|tmp)$/, '')));
  for (const file of files) tryWatch(file);

  const stamp = () => files.map((f) => {
    try {
      const s = fs.statSync(f);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'missing';
    }
  }).join('|');
  let last = stamp();
  const poll = setInterval(() => {
    const now = stamp();
    if (now !== last) {
      last = now;
      fire();
    }
  }, opts.pollMs ?? 3000);
  poll.unref();

  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      clearInterval(poll);
      for (const w of watchers) w.close();
    },
    { once: true },
  );
}
