import type { ClientMessage } from '../../../shared/contract';
import type { Decoded, MessageDecoder } from './decode';
import { outgoing, type Outgoing } from './outgoing';
import { socketLink, type ConnectionStatus, type SocketLike } from './socket-link';

/** From the page to the worker. */
export type ToWorker =
  /** Browser mode: open the engine's WebSocket (the worker owns it). */
  | { type: 'connect'; url: string }
  /** Browser mode: a message for the engine. */
  | { type: 'send'; message: ClientMessage }
  /** Electron: the page sent this through the preload; learn its id. */
  | { type: 'track'; message: Outgoing }
  /** Electron: a raw engine message the preload handed the page. */
  | { type: 'incoming'; text: string }
  /** Load the decoder (the page says when: it competes with the app's first paint). */
  | { type: 'upgrade' }
  /** Take over decoding: what the page's decoder knew after the first `upTo` raw items it got. */
  | { type: 'reset'; tracked: Outgoing[]; upTo: number };

/** From the worker to the page. */
export type FromWorker =
  | { type: 'status'; status: ConnectionStatus }
  /** An engine message the worker does not decode yet: the page decodes it. */
  | { type: 'raw'; text: string }
  | { type: 'decoder-ready' }
  | { type: 'decoder-failed'; problem: string }
  | { type: 'message'; message: Decoded };

type DecoderLike = Pick<MessageDecoder, 'track' | 'decode' | 'reset' | 'connectionLost'>;

/**
 * The engine link's worker side. In browser mode it owns the WebSocket. Until it has its decoder
 * (the contract's validators, loaded when the page asks, so the app's first paint does not wait for
 * them) it hands the page raw text and the page decodes; then the page sends what its decoder knows
 * and from which raw item on, the worker replays the items the page decoded after that point (to
 * learn the same), and from then on parses and validates every message here, off the main thread.
 */
export function workerLink(post: (m: FromWorker) => void, deps: { loadDecoder(): Promise<DecoderLike>; openSocket?: (url: string) => SocketLike }): (m: ToWorker) => void {
  let decoder: DecoderLike | null = null;
  let loading = false;
  let active = false;
  /** Raw items (texts and statuses) posted before taking over, and those posted since the decoder loaded. */
  let posted = 0;
  let since: Array<{ n: number; text?: string; lost?: boolean }> | null = null;
  let socket: { send(text: string): void } | null = null;
  const early: string[] = [];
  let wasOpen = false;

  const decodeAndPost = (text: string) => {
    const message = decoder!.decode(text);
    if (message) post({ type: 'message', message });
  };
  const receive = (text: string) => {
    if (active) return decodeAndPost(text);
    posted++;
    post({ type: 'raw', text });
    since?.push({ n: posted, text });
  };
  const status = (s: ConnectionStatus) => {
    const lost = s === 'closed' && wasOpen;
    wasOpen = s === 'open';
    if (active) {
      if (lost) decoder!.connectionLost();
    } else {
      posted++;
      if (lost) since?.push({ n: posted, lost: true });
    }
    post({ type: 'status', status: s });
  };

  return (m) => {
    switch (m.type) {
      case 'connect':
        if (socket) return;
        socket = socketLink(m.url, { onText: receive, onStatus: status }, deps.openSocket);
        for (const text of early.splice(0)) socket.send(text);
        return;
      case 'send': {
        if (active) decoder!.track(outgoing(m.message));
        const text = JSON.stringify(m.message);
        if (socket) socket.send(text);
        else early.push(text);
        return;
      }
      case 'track':
        if (active) decoder!.track(m.message);
        return;
      case 'incoming':
        return receive(m.text);
      case 'upgrade':
        if (decoder || loading) return;
        loading = true;
        deps.loadDecoder().then(
          (d) => {
            decoder = d;
            since = [];
            post({ type: 'decoder-ready' });
          },
          (e: unknown) => post({ type: 'decoder-failed', problem: String(e) }),
        );
        return;
      case 'reset':
        if (!decoder || active) return;
        decoder.reset(m.tracked);
        // What the page decoded after its snapshot: learn it too (the output is the page's to give).
        for (const item of since ?? []) {
          if (item.n <= m.upTo) continue;
          if (item.lost) decoder.connectionLost();
          else decoder.decode(item.text!);
        }
        since = null;
        active = true;
        return;
    }
  };
}
