import { MessageDecoder, type Decoded } from './decode';
import { outgoing } from './outgoing';
import type { ConnectionStatus } from './socket-link';
import { inlineTransport, type EngineRoute, type Transport } from './transport';
import type { FromWorker, ToWorker } from './worker-link';

/** The part of a Worker the transport uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(m: ToWorker): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
  terminate(): void;
}

/**
 * The page's side of the engine link worker (worker-link.ts). In browser mode the worker owns the
 * WebSocket from the start; in Electron the page takes the preload's text. Until the worker has its
 * decoder (asked for when `later` says, after the first paint) the page decodes what the worker
 * hands it raw (or what the preload gives); then it sends the worker what its decoder knows and
 * after how many raw items, and from then on only relays. A worker that fails to start leaves the
 * page doing everything itself (inlineTransport), with the messages sent so far sent again.
 */
export function workerTransport(start: () => WorkerLike, route: EngineRoute, later: (go: () => void) => void): Transport {
  const messageListeners: Array<(m: Decoded) => void> = [];
  const statusListeners: Array<(s: ConnectionStatus) => void> = [];
  const emit = (m: Decoded) => messageListeners.forEach((l) => l(m));
  /** The page's decoder: decodes until the worker takes over, then only what was already on its way raw. */
  const decoder = new MessageDecoder();
  let takenOver = false;
  let rawItems = 0;
  let wasOpen = false;
  let heard = false;
  let fallback: Transport | null = null;
  const sentBeforeHeard: Parameters<Transport['send']>[0][] = [];

  const decodeHere = (text: string) => {
    const m = decoder.decode(text);
    if (m) emit(m);
  };

  let worker: WorkerLike | null;
  try {
    worker = start();
  } catch (e) {
    console.error('Funcdeck: the engine link worker could not start; parsing on the main thread instead.', e);
    worker = null;
  }
  const goInline = () => {
    fallback = inlineTransport(route);
    fallback.onMessage(emit);
    fallback.onStatus((s) => statusListeners.forEach((l) => l(s)));
    for (const m of sentBeforeHeard.splice(0)) fallback.send(m);
  };

  if (!worker) {
    goInline();
  } else {
    const w = worker;
    w.onmessage = ({ data: m }) => {
      heard = true;
      sentBeforeHeard.length = 0;
      switch (m.type) {
        case 'message':
          return emit(m.message);
        case 'raw':
          rawItems++;
          return decodeHere(m.text);
        case 'status': {
          if (!takenOver) rawItems++;
          if (m.status === 'closed' && wasOpen) decoder.connectionLost();
          wasOpen = m.status === 'open';
          return statusListeners.forEach((l) => l(m.status));
        }
        case 'decoder-ready':
          w.postMessage({ type: 'reset', tracked: decoder.tracked(), upTo: rawItems });
          takenOver = true;
          performance.mark?.('funcdeck:engine-link-worker');
          return;
        case 'decoder-failed':
          return console.error('Funcdeck: the engine link worker could not load its decoder; parsing on the main thread instead.', m.problem);
      }
    };
    w.onerror = (e) => {
      if (heard || 'bridge' in route) return console.error('Funcdeck: error in the engine link worker:', e.message);
      // Browser mode and not a word from it: it never started. The page opens the socket itself.
      console.error('Funcdeck: the engine link worker failed to start; connecting from the page instead.', e.message);
      w.terminate();
      worker = null;
      goInline();
    };
    if ('bridge' in route) {
      route.bridge.onMessage((text) => (takenOver ? w.postMessage({ type: 'incoming', text }) : decodeHere(text)));
    } else {
      w.postMessage({ type: 'connect', url: route.url });
    }
    later(() => worker?.postMessage({ type: 'upgrade' }));
  }

  return {
    send(message) {
      if (fallback) return fallback.send(message);
      if (!takenOver) decoder.track(outgoing(message));
      if ('bridge' in route) {
        if (takenOver) worker!.postMessage({ type: 'track', message: outgoing(message) });
        route.bridge.send(JSON.stringify(message));
        return;
      }
      if (!heard) sentBeforeHeard.push(message);
      worker!.postMessage({ type: 'send', message });
    },
    onMessage: (l) => void messageListeners.push(l),
    onStatus: 'bridge' in route ? (l) => queueMicrotask(() => l('open')) : (l) => void statusListeners.push(l),
  };
}
