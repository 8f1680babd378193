import { z } from 'zod';
import { call } from './define';

export const RuntimeId = z.enum(['nodejs', 'python']);
export type RuntimeId = z.infer<typeof RuntimeId>;

/** What a runtime image runs packages on, when Funcdeck cannot tell from its name (electron/engine/deps/platform.ts). */
export const ImagePlatform = z.object({
  arch: z.enum(['x64', 'arm64']).optional(),
  libc: z.enum(['glibc', 'musl']),
  /** The image's glibc, e.g. "2.36" (manylinux wheels up to it fit). */
  glibc: z.string().regex(/^2\.\d{1,2}$/, 'Give the glibc version as 2.N, e.g. 2.36.').optional(),
  /** The image's Python, e.g. "3.12" (Python images only). */
  python: z.string().regex(/^3\.\d{1,2}$/, 'Give the Python version as 3.N, e.g. 3.12.').optional(),
});
export type ImagePlatform = z.infer<typeof ImagePlatform>;

export const Settings = z.object({
  /** Image per runtime; the dev cluster's local images are set from its images.env. */
  runtimeImages: z.record(RuntimeId, z.string().min(1).max(300)),
  defaultNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label').max(63),
  revisionsToKeep: z.number().int().min(1).max(100),
  theme: z.enum(['system', 'dark', 'light']),
  /** Platform per runtime image name, for images whose name does not say it. */
  imagePlatforms: z.record(z.string().min(1).max(300), ImagePlatform),
  /** When true, a TypeScript type error stops a deploy; by default type errors are warnings. */
  typeErrorsBlockDeploy: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  runtimeImages: { nodejs: 'node:22-alpine', python: 'python:3.12-alpine' },
  defaultNamespace: 'default',
  revisionsToKeep: 5,
  theme: 'system',
  imagePlatforms: {},
  typeErrorsBlockDeploy: false,
};

export const settingsCalls = {
  'settings.get': call(z.object({}), Settings),
  'settings.update': call(Settings.partial(), Settings),
};
export const settingsStreams = {};
