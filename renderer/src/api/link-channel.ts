import type { Outgoing } from './decode';
import { engineLink, type FromLink, type ToLink } from './engine-link';

/** A way to reach the engine link: post to it, and listen to what it posts back. */
export interface LinkChannel {
  post(m: ToLink): void;
  listen(listener: (m: FromLink) => void): void;
}

/** The part of a Worker the channel uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(m: ToLink): void;
  onmessage: ((e: { data: FromLink }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
  terminate(): void;
}

/** The link on the page's own thread. */
export function inlineChannel(): LinkChannel & { tracked(): Outgoing[] } {
  const listeners: Array<(m: FromLink) => void> = [];
  const link = engineLink((m) => listeners.forEach((l) => l(m)));
  return { post: link.handle, listen: (l) => void listeners.push(l), tracked: link.tracked };
}

/**
 * The link in a dedicated worker, once that is ready; until then the page decodes inline, so
 * nothing waits for the worker. The worker is started when `later` says (the app passes "when the
 * page is first idle": building it competes with the app's first paint on a busy machine). When it
 * is ready it gets what the inline link knows at that moment (pending calls, open subscriptions),
 * then every message after. Should it never start (refused or broken), the page goes on inline.
 */
export function workerChannel(start: () => WorkerLike, later: (go: () => void) => void = (go) => go()): LinkChannel {
  const listeners: Array<(m: FromLink) => void> = [];
  let inline: ReturnType<typeof inlineChannel> | null = inlineChannel();
  inline.listen((m) => listeners.forEach((l) => l(m)));
  let worker: WorkerLike | null = null;
  later(() => {
    let w: WorkerLike;
    try {
      w = start();
    } catch (e) {
      console.error('Funcdeck: the engine link worker could not start; parsing on the main thread instead.', e);
      return;
    }
    w.onmessage = (e) => {
      if (e.data.type === 'ready' && inline) {
        w.postMessage({ type: 'reset', tracked: inline.tracked() });
        inline = null;
        worker = w;
        performance.mark?.('funcdeck:engine-link-worker');
      }
      listeners.forEach((l) => l(e.data));
    };
    w.onerror = (e) => {
      if (worker) return console.error('Funcdeck: error in the engine link worker:', e.message);
      console.error('Funcdeck: the engine link worker failed to start; parsing on the main thread instead.', e.message);
      w.terminate();
    };
  });
  return {
    post(m) {
      if (inline) inline.post(m);
      else worker!.postMessage(m);
    },
    listen: (l) => void listeners.push(l),
  };
}
