import { z } from 'zod';
import { call } from './define';

export const RuntimeId = z.enum(['nodejs', 'python']);
export type RuntimeId = z.infer<typeof RuntimeId>;

export const Settings = z.object({
  /** Image per runtime; the dev cluster's local images are set from its images.env. */
  runtimeImages: z.record(RuntimeId, z.string().min(1).max(300)),
  defaultNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label').max(63),
  revisionsToKeep: z.number().int().min(1).max(100),
  theme: z.enum(['system', 'dark', 'light']),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  runtimeImages: { nodejs: 'node:22-alpine', python: 'python:3.12-alpine' },
  defaultNamespace: 'default',
  revisionsToKeep: 5,
  theme: 'system',
};

export const settingsCalls = {
  'settings.get': call(z.object({}), Settings),
  'settings.update': call(Settings.partial(), Settings),
};
export const settingsStreams = {};
