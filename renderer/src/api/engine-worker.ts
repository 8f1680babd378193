// The page's engine link as a dedicated worker (see engine-link.ts): JSON parsing and contract
// validation of every engine message happen here, off the main thread.
import { engineLink, type FromLink, type ToLink } from './engine-link';

const scope = self as unknown as {
  postMessage(m: FromLink): void;
  onmessage: ((e: MessageEvent<ToLink>) => void) | null;
};
const link = engineLink((m) => scope.postMessage(m));
scope.onmessage = (e) => link.handle(e.data);
scope.postMessage({ type: 'ready' });
