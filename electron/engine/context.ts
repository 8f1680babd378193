import type { RuntimeImages, Settings } from '../../shared/contract/settings';
import type { ClusterAccess } from './kube/access';
import type { EngineOptions } from './options';

/** Current settings, as the settings domain keeps them (electron/engine/settings). */
export interface SettingsSource {
  get(): Settings;
  /** The runtime images of the selected context: environment, then set for it, then detected on its cluster, then the defaults. */
  runtimeImages(): Promise<RuntimeImages>;
}

/** What every domain's handler factory receives. */
export interface EngineContext {
  options: EngineOptions;
  clusters: ClusterAccess;
  settings: SettingsSource;
  /** Registers cleanup to run when the engine is disposed (streams, watches, timers). */
  onDispose(fn: () => Promise<void> | void): void;
}
