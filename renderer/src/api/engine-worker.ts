// The engine link's worker (see worker-link.ts). Its first chunk is small, so the WebSocket opens at
// once; the contract's validators come in a chunk of their own when the page asks for them.
import { workerLink, type FromWorker, type ToWorker } from './worker-link';

const scope = self as unknown as {
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const handle = workerLink((m) => scope.postMessage(m), {
  loadDecoder: () => import('./decode').then((d) => new d.MessageDecoder()),
});
scope.onmessage = (e) => handle(e.data);
