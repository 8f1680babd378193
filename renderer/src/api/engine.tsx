import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { EngineClient } from './client';
import { defaultTransport } from './default-transport';

const EngineContext = createContext<EngineClient | null>(null);

let shared: EngineClient | null = null;
/** One client per page: StrictMode's double render must not open two sockets. */
function sharedClient(): EngineClient {
  shared ??= new EngineClient(defaultTransport());
  return shared;
}

export function EngineProvider({ client, children }: { client?: EngineClient; children: ReactNode }) {
  const value = useMemo(() => client ?? sharedClient(), [client]);
  return <EngineContext.Provider value={value}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineClient {
  const client = useContext(EngineContext);
  if (!client) throw new Error('useEngine needs an <EngineProvider> above it');
  return client;
}
