import os from 'node:os';
import path from 'node:path';

export interface EngineOptions {
  mode: 'electron' | 'web';
  version: string;
  /** Environment to read KUBECONFIG and FUNCDECK_* settings from (process.env unless a test says otherwise). */
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Where the engine keeps its own state: drafts, history, logs, settings. */
  dataDir: string;
}

export function defaultEngineOptions(mode: EngineOptions['mode'], version: string, env = process.env): EngineOptions {
  const homeDir = env.HOME ?? os.homedir();
  const dataDir = env.FUNCDECK_DATA_DIR ?? path.join(env.XDG_DATA_HOME ?? path.join(homeDir, '.local', 'share'), 'funcdeck');
  return { mode, version, env, homeDir, dataDir };
}
