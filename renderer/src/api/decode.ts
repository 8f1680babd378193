import { calls, streams, ServerMessage, describeIssues, isCallName, isStreamName, type ErrorShape } from '../../../shared/contract';
import type { ZodType } from 'zod';
import type { Outgoing } from './outgoing';

export type { Outgoing } from './outgoing';

/**
 * An engine message after parsing and validation against the contract: what the client acts on.
 * Plain data, so it can cross from the worker to the page (structured clone).
 */
export type Decoded =
  | { kind: 'result'; id: string; ok: true; value: unknown }
  | { kind: 'result'; id: string; ok: false; error: ErrorShape }
  | { kind: 'event'; id: string; value: unknown }
  | { kind: 'end'; id: string; error?: ErrorShape }
  /** Not usable (bad JSON, not the protocol, or an event that breaks its stream's contract): logged by the page. */
  | { kind: 'invalid'; problem: string; issues?: string[] };

/**
 * Parses and validates engine messages. It learns from the outgoing messages which call or stream
 * each id belongs to, so every result and event is checked against its own part of the contract;
 * events of streams no longer subscribed and results nobody waits for are dropped here.
 */
export class MessageDecoder {
  private readonly calls = new Map<string, string>();
  private readonly subscriptions = new Map<string, string>();

  track(m: Outgoing): void {
    if (m.type === 'call' && m.method) this.calls.set(m.id, m.method);
    else if (m.type === 'subscribe' && m.stream) this.subscriptions.set(m.id, m.stream);
    else if (m.type === 'unsubscribe') this.subscriptions.delete(m.id);
  }

  /** What it knows, as the outgoing messages that would teach another decoder the same. */
  tracked(): Outgoing[] {
    return [
      ...[...this.calls].map(([id, method]): Outgoing => ({ type: 'call', id, method })),
      ...[...this.subscriptions].map(([id, stream]): Outgoing => ({ type: 'subscribe', id, stream })),
    ];
  }

  /** Forgets everything and learns `tracked` instead. */
  reset(tracked: Outgoing[]): void {
    this.calls.clear();
    this.subscriptions.clear();
    for (const m of tracked) this.track(m);
  }

  /** The connection was lost after it was open: no call sent so far will be answered. */
  connectionLost(): void {
    this.calls.clear();
  }

  /** The decoded message, or null when nobody is waiting for it. */
  decode(text: string): Decoded | null {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { kind: 'invalid', problem: 'engine sent invalid JSON' };
    }
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) return { kind: 'invalid', problem: 'malformed message from engine', issues: describeIssues(parsed.error) };
    const m = parsed.data as ServerMessage;
    if (m.type === 'result') {
      const method = this.calls.get(m.id);
      this.calls.delete(m.id);
      // An error nobody waits for (e.g. about a message the engine could not read) is still worth logging.
      if (!m.ok) return { kind: 'result', id: m.id, ok: false, error: m.error };
      if (!method || !isCallName(method)) return null;
      const checked = (calls[method].result as ZodType).safeParse(m.value);
      if (!checked.success) {
        return { kind: 'result', id: m.id, ok: false, error: { code: 'INTERNAL', message: `Engine reply for ${method} did not match the contract: ${describeIssues(checked.error).join('; ')}` } };
      }
      return { kind: 'result', id: m.id, ok: true, value: checked.data };
    }
    const stream = this.subscriptions.get(m.id);
    if (!stream || !isStreamName(stream)) return null;
    if (m.type === 'event') {
      const checked = (streams[stream].event as ZodType).safeParse(m.value);
      if (!checked.success) return { kind: 'invalid', problem: `malformed ${stream} event`, issues: describeIssues(checked.error) };
      return { kind: 'event', id: m.id, value: checked.data };
    }
    this.subscriptions.delete(m.id);
    return m.error ? { kind: 'end', id: m.id, error: m.error } : { kind: 'end', id: m.id };
  }
}
