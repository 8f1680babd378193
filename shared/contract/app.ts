import { z } from 'zod';
import { call } from './define';

export const AppInfo = z.object({
  name: z.literal('Funcdeck'),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  node: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': call(z.object({}), AppInfo),
};
export const appStreams = {};
