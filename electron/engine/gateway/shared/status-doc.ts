import type { CanaryProgress, CanaryWindow } from './canary';
import type { Weight } from './traffic-doc';

/** What the gateway's read-only /status answers, and the engine reads (through the API server's pod proxy). */
export const GATEWAY_STATUS_VERSION = 1;

export interface GatewayStatusDoc {
  v: number;
  version: string;
  pod: string;
  ready: boolean;
  terminating: boolean;
  startedAt: string;
  functions: Record<
    string,
    {
      port: number;
      /** docHash of the traffic annotation it serves: the engine waits for its own change's hash. */
      hash: string;
      listening: boolean;
      /** The weights it routes by now (a canary's step applied). */
      weights: Weight[];
      canary: (CanaryProgress & { window: CanaryWindow }) | null;
      revisions: Record<string, { replicas: number; ready: number; inFlight: number; desired: number | null; panicking: boolean }>;
    }
  >;
  problems: string[];
}
