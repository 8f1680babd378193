import { z } from 'zod';
import { call } from './define';

/** A damaged local file the engine found: kept aside (never silently overwritten) and reported. */
export const StoreProblem = z.object({
  /** The file that was damaged. */
  file: z.string(),
  /** Where its damaged content was kept (`<file>.corrupt-<time>`); null if it could not be moved. */
  keptAs: z.string().nullable(),
  /** In words: what was damaged, how, where it was kept and what the engine uses instead. */
  problem: z.string(),
  at: z.string(),
});
export type StoreProblem = z.infer<typeof StoreProblem>;

export const AppInfo = z.object({
  name: z.literal('Funcdeck'),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  node: z.string(),
  /** Damaged local files found since the engine started (settings, drafts, history, saved requests, selection). */
  storeProblems: z.array(StoreProblem).optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': call(z.object({}), AppInfo),
};
export const appStreams = {};
