import { FuncdeckError } from '../../../shared/contract/errors';
import type { ImagePlatform, RuntimeId } from '../../../shared/contract/settings';

/**
 * The platform a runtime image runs packages on: CPU, C library (glibc or musl, which decides
 * which prebuilt binaries load) and, for Python, the interpreter's version (which wheels fit).
 * Dependencies are installed on this machine for that platform, not for the machine's own.
 */
export interface Platform {
  arch: 'x64' | 'arm64';
  libc: 'glibc' | 'musl';
  /** Highest glibc the image has, "2.36"; for manylinux wheel tags. Null for musl. */
  glibc: string | null;
  /** "3.11"; null for Node images. */
  python: string | null;
  /** Where this came from, in words (shown in the build log). */
  how: string;
}

const machineArch = (): Platform['arch'] => (process.arch === 'arm64' ? 'arm64' : 'x64');

/** glibc of this machine: Funcdeck's local dev-cluster images are built from its own files. */
function machineGlibc(): string {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? '2.36';
}

/** Debian releases the official images are built on, and their glibc. */
const DEBIAN_GLIBC: Record<string, string> = { buster: '2.28', bullseye: '2.31', bookworm: '2.36', trixie: '2.41' };
/** The official images' default Debian when a tag names none (the oldest current one: wheels for it load on newer ones too). */
const DEFAULT_DEBIAN = 'bookworm';

/** The name's repository path and tag: "docker.io/library/python:3.12-alpine" -> ["python", "3.12-alpine"]. */
function repoAndTag(image: string): { repo: string; tag: string } {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : 'latest';
  const path = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const parts = path.split('/');
  // "docker.io/library/node", "library/node", "node" are all the official node image.
  const repo = parts.length > 1 && (parts[0] === 'docker.io' || parts[0] === 'index.docker.io') ? parts.slice(1).join('/') : path;
  return { repo: repo.replace(/^library\//, ''), tag };
}

function libcOfTag(tag: string): { libc: Platform['libc']; glibc: string | null; variant: string } {
  if (/alpine/.test(tag)) return { libc: 'musl', glibc: null, variant: 'alpine (musl)' };
  const debian = Object.keys(DEBIAN_GLIBC).find((d) => tag.includes(d));
  const release = debian ?? DEFAULT_DEBIAN;
  return { libc: 'glibc', glibc: DEBIAN_GLIBC[release]!, variant: `Debian ${release} (glibc ${DEBIAN_GLIBC[release]})` };
}

/**
 * Reads the platform from, in order: the user's setting for this image, Funcdeck's own local images,
 * the official images' tags (node:22-alpine, python:3.12-slim-bookworm). An image none of these
 * describe is fine for Node (glibc assumed, said in the log) but not for Python, whose wheels depend
 * on the version: then the error says where to set it.
 */
export function imagePlatform(runtime: RuntimeId, image: string, settings: Record<string, ImagePlatform> = {}): Platform {
  const set = settings[image];
  const { repo, tag } = repoAndTag(image);
  if (set) {
    if (runtime === 'python' && !set.python) throw noPythonVersion(image, 'its platform setting names no Python version');
    return { arch: set.arch ?? machineArch(), libc: set.libc, glibc: set.libc === 'glibc' ? (set.glibc ?? '2.28') : null, python: set.python ?? null, how: `set in Settings for ${image}` };
  }
  const local = /^localhost\/funcdeck\/(node|python)$/.exec(repo);
  if (local) {
    const python = runtime === 'python' ? /^(3\.\d+)/.exec(tag)?.[1] ?? null : null;
    if (runtime === 'python' && !python) throw noPythonVersion(image, `its tag "${tag}" names no Python version`);
    return { arch: machineArch(), libc: 'glibc', glibc: machineGlibc(), python, how: `Funcdeck's local image, built from this machine (glibc ${machineGlibc()})` };
  }
  const name = runtime === 'nodejs' ? 'node' : 'python';
  // Docker Hub's official image, or a mirror of it (public.ecr.aws/docker/library/node, mirror.gcr.io/library/node).
  const official = repo === name || repo.endsWith(`/library/${name}`);
  const { libc, glibc, variant } = libcOfTag(tag);
  if (runtime === 'python') {
    const python = /^(3\.\d+)/.exec(tag)?.[1];
    if (!python) throw noPythonVersion(image, `its tag "${tag}" does not start with a Python version such as 3.12`);
    return { arch: machineArch(), libc, glibc, python, how: `from the image tag: Python ${python}, ${variant}` };
  }
  return { arch: machineArch(), libc, glibc, python: null, how: official ? `from the image tag: ${variant}` : `assumed ${variant} for an image Funcdeck does not know; set its platform in Settings if it differs` };
}

function noPythonVersion(image: string, why: string): FuncdeckError {
  return new FuncdeckError(
    'BUILD_FAILED',
    `Funcdeck cannot tell which Python version the image ${image} runs (${why}), so it cannot pick matching wheels. Set the image's platform (Python version, glibc or musl) in Settings, or use an official python:X.Y image.`,
    { dependencies: { kind: 'platform' } },
  );
}

/** pip's --platform values for a platform: every manylinux (or musllinux) tag its C library can load. */
export function wheelPlatformTags(p: Platform): string[] {
  const arch = p.arch === 'arm64' ? 'aarch64' : 'x86_64';
  if (p.libc === 'musl') return ['musllinux_1_2', 'musllinux_1_1'].map((t) => `${t}_${arch}`);
  const minor = Number(/^2\.(\d+)$/.exec(p.glibc ?? '')?.[1] ?? 17);
  const tags: string[] = [];
  for (let m = minor; m >= 17; m--) tags.push(`manylinux_2_${m}_${arch}`);
  tags.push(`manylinux2014_${arch}`);
  if (arch === 'x86_64') tags.push('manylinux_2_12_x86_64', 'manylinux2010_x86_64', 'manylinux_2_5_x86_64', 'manylinux1_x86_64');
  return tags;
}

/** A short name for the platform, part of the cache key and the log. */
export function platformKey(p: Platform): string {
  return [p.arch, p.libc === 'musl' ? 'musl' : `glibc${p.glibc}`, p.python ? `py${p.python}` : null].filter(Boolean).join('-');
}
