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

/** An image reference as Kubernetes takes it: [registry[:port]/]name[/name...][:tag][@sha256:digest]. */
const IMAGE_REF =
  /^(?:[A-Za-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const ImageRef = z
  .string({ error: 'Give an image, e.g. node:22-alpine.' })
  .trim()
  .min(1, 'Give an image, e.g. node:22-alpine.')
  .max(300, 'Use an image reference of at most 300 characters.')
  .regex(IMAGE_REF, 'Use an image reference such as node:22-alpine or registry.example.com/team/node:22 (a lowercase name, then an optional :tag or @sha256:digest).');

export const RuntimeImages = z.object({ nodejs: ImageRef, python: ImageRef });
export type RuntimeImages = z.infer<typeof RuntimeImages>;

/** The stock images: what a context runs on unless its cluster holds Funcdeck's local images or the user chose others. */
export const STOCK_IMAGES: RuntimeImages = { nodejs: 'node:22-alpine', python: 'python:3.12-alpine' };

export const Settings = z.object({
  /** The images a context runs on when nothing was detected on its cluster or set for it. */
  defaultImages: RuntimeImages,
  /** Images the user chose for one context (by context name), per runtime; they win over detected ones. */
  contextImages: z.record(z.string().min(1).max(253), RuntimeImages.partial()),
  defaultNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'Use lowercase letters, digits and "-", starting and ending with a letter or digit.').max(63, 'Use at most 63 characters.'),
  revisionsToKeep: z.number({ error: 'Give a whole number.' }).int('Give a whole number.').min(1, 'Keep at least 1 revision.').max(100, 'Keep at most 100 revisions.'),
  theme: z.enum(['system', 'dark', 'light']),
  /** Platform per runtime image name, for images whose name does not say it. */
  imagePlatforms: z.record(z.string().min(1).max(300), ImagePlatform),
  /** When true, a TypeScript type error stops a deploy; by default type errors are warnings. */
  typeErrorsBlockDeploy: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  defaultImages: STOCK_IMAGES,
  contextImages: {},
  defaultNamespace: 'default',
  revisionsToKeep: 5,
  theme: 'system',
  imagePlatforms: {},
  typeErrorsBlockDeploy: false,
};

/** Where the image a context runs on came from, strongest first. */
export const ImageSource = z.enum(['environment', 'context', 'detected', 'default']);
export type ImageSource = z.infer<typeof ImageSource>;

export const RuntimeImageChoice = z.object({
  runtime: RuntimeId,
  /** The image deploys use in this context. */
  image: z.string(),
  source: ImageSource,
  /** FUNCDECK_IMAGE_NODE / FUNCDECK_IMAGE_PYTHON of the engine's environment, which wins over everything. */
  environment: z.string().nullable(),
  /** What the user set for this context, if anything. */
  set: z.string().nullable(),
  /** What was found on the cluster (Funcdeck's local images on its nodes), if anything. */
  detected: z.string().nullable(),
  default: z.string(),
});
export type RuntimeImageChoice = z.infer<typeof RuntimeImageChoice>;

export const RuntimeImagesView = z.object({
  /** The selected context the choice is for; null when none is selected (then the defaults apply). */
  context: z.string().nullable(),
  runtimes: z.array(RuntimeImageChoice),
  /** How detection went, in words (found local images, found none, or could not look and why). */
  detection: z.string(),
});
export type RuntimeImagesView = z.infer<typeof RuntimeImagesView>;

export const settingsCalls = {
  'settings.get': call(z.object({}), Settings),
  /** Replaces the given fields; `defaultImages` merges per runtime, `contextImages` is replaced whole. */
  'settings.update': call(Settings.partial().extend({ defaultImages: RuntimeImages.partial().optional() }), Settings),
  /** The runtime images of the selected context: what deploys use, and why (detected on its nodes at most once a few minutes). */
  'settings.images': call(z.object({}), RuntimeImagesView),
};
export const settingsStreams = {};
