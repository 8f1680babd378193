import { dependencyError } from './errors';
import { formatBytes } from './progress';

/**
 * How big a dependency archive may be. It travels in ConfigMaps (README.md): each holds at most
 * 1 MiB of data (the API server's limit, from etcd's request size), so one part is 960 KiB and
 * leaves room for the object's metadata. Eight parts bound what one function adds to etcd and what
 * every pod start unpacks.
 */
export const PART_BYTES = 960 * 1024;
export const MAX_PARTS = 8;
export const MAX_ARCHIVE_BYTES = PART_BYTES * MAX_PARTS;

export function tooLargeError(bytes: number, unpackedBytes: number, packages: Array<{ name: string; version: string; dev?: boolean }>) {
  const shipped = packages.filter((p) => !p.dev);
  return dependencyError(
    'too-large',
    `The dependencies are ${formatBytes(bytes)} compressed (${formatBytes(unpackedBytes)} unpacked, ${shipped.length} packages); Funcdeck delivers at most ${formatBytes(MAX_ARCHIVE_BYTES)} compressed to the cluster through the API server. Remove packages you do not need (or use lighter ones), or bake them into your own runtime image and set it in Settings.`,
  );
}
