import type { z } from 'zod';
import { appCalls, appStreams } from './app';
import { clusterCalls, clusterStreams } from './clusters';
import { depsCalls, depsStreams } from './deps';
import { cronCalls, cronStreams } from './cron';
import { draftsCalls, draftsStreams } from './drafts';
import { eventsCalls, eventsStreams } from './events';
import { functionsCalls, functionsStreams } from './functions';
import { interopCalls, interopStreams } from './interop';
import { invokeCalls, invokeStreams } from './invoke';
import { liveCalls, liveStreams } from './live';
import { logsCalls, logsStreams } from './logs';
import { metricsCalls, metricsStreams } from './metrics';
import { revisionsCalls, revisionsStreams } from './revisions';
import { secretsCalls, secretsStreams } from './secrets';
import { settingsCalls, settingsStreams } from './settings';
import { trafficCalls, trafficStreams } from './traffic';
import { workbenchCalls, workbenchStreams } from './workbench';
import type { CallDef, StreamDef } from './define';

/**
 * The one contract between the UI and the engine. Each domain declares its calls and streams
 * in its own file; this merges them. Both sides validate every message against these schemas.
 */
export const calls = {
  ...appCalls,
  ...clusterCalls,
  ...depsCalls,
  ...cronCalls,
  ...draftsCalls,
  ...eventsCalls,
  ...functionsCalls,
  ...interopCalls,
  ...invokeCalls,
  ...liveCalls,
  ...logsCalls,
  ...metricsCalls,
  ...revisionsCalls,
  ...secretsCalls,
  ...settingsCalls,
  ...trafficCalls,
  ...workbenchCalls,
} satisfies Record<string, CallDef>;

export const streams = {
  ...appStreams,
  ...clusterStreams,
  ...depsStreams,
  ...cronStreams,
  ...draftsStreams,
  ...eventsStreams,
  ...functionsStreams,
  ...interopStreams,
  ...invokeStreams,
  ...liveStreams,
  ...logsStreams,
  ...metricsStreams,
  ...revisionsStreams,
  ...secretsStreams,
  ...settingsStreams,
  ...trafficStreams,
  ...workbenchStreams,
} satisfies Record<string, StreamDef>;

export type Calls = typeof calls;
export type Streams = typeof streams;
export type CallName = keyof Calls & string;
export type StreamName = keyof Streams & string;
export type CallParams<K extends CallName> = z.input<Calls[K]['params']>;
export type CallResult<K extends CallName> = z.output<Calls[K]['result']>;
export type StreamParams<K extends StreamName> = z.input<Streams[K]['params']>;
export type StreamEvent<K extends StreamName> = z.output<Streams[K]['event']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
export function isStreamName(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(streams, name);
}

export * from './errors';
export * from './protocol';
export * from './app';
export * from './clusters';
export * from './settings';
export * from './runtime-protocol';
export * from './functions';
export * from './revisions';
export * from './invoke';
export * from './logs';
export * from './metrics';
export * from './events';
export * from './drafts';
export * from './traffic';
export * from './workbench';
export * from './function-extras';
export * from './secrets';
export * from './interop';
export * from './cron';
