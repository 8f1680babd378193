import { inlineTransport, type EngineRoute, type Transport } from './transport';
import { workerTransport, type WorkerLike } from './worker-transport';

function startWorker(): WorkerLike {
  return new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'funcdeck-engine-link' }) as unknown as WorkerLike;
}

/** After the page has loaded, at its first idle moment (or 2 s later at the latest). */
function whenSettled(go: () => void): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => go(), { timeout: 2000 }) : setTimeout(go, 500));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}

export function defaultTransport(): Transport {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const route: EngineRoute = window.funcdeck ? { bridge: window.funcdeck } : { url: `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}` };
  if (typeof Worker === 'undefined') return inlineTransport(route);
  return workerTransport(startWorker, route, whenSettled);
}
