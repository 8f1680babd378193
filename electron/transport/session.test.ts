import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calls, FuncdeckError, type ServerMessage } from '../../shared/contract';
import type { Engine } from '../engine/handlers';
import { openSession } from './session';

/** A stand-in engine: only the router is under test here, not any Kubernetes access. */
function fakeEngine(overrides: Partial<Record<string, (p: unknown) => Promise<unknown>>> = {}): Engine {
  return {
    calls: {
      'app.info': async () => ({ name: 'Funcdeck', version: 't', mode: 'web', platform: 'linux', node: '20' }),
      'clusters.kubeconfig': async () => {
        throw new FuncdeckError('NO_KUBECONFIG', 'No kubeconfig found. Create a cluster first.');
      },
      ...overrides,
    } as unknown as Engine['calls'],
    streams: {} as Engine['streams'],
    dispose: async () => undefined,
  };
}

function collect(engine: Engine) {
  const out: ServerMessage[] = [];
  const session = openSession(engine, (m) => out.push(m));
  return { out, session };
}

describe('session router', () => {
  it('answers a valid call with a validated result', async () => {
    const { out, session } = collect(fakeEngine());
    await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'app.info', params: {} }));
    expect(out).toEqual([{ type: 'result', id: 'c1', ok: true, value: { name: 'Funcdeck', version: 't', mode: 'web', platform: 'linux', node: '20' } }]);
  });

  it('replies BAD_REQUEST to invalid JSON and to a malformed message, keeping the id when it can', async () => {
    const { out, session } = collect(fakeEngine());
    await session.receive('{not json');
    await session.receive(JSON.stringify({ type: 'call', id: 'c2' }));
    expect(out[0]).toMatchObject({ type: 'result', id: '', ok: false, error: { code: 'BAD_REQUEST' } });
    expect(out[1]).toMatchObject({ type: 'result', id: 'c2', ok: false, error: { code: 'BAD_REQUEST' } });
    // The session still works afterwards.
    await session.receive(JSON.stringify({ type: 'call', id: 'c3', method: 'app.info', params: {} }));
    expect(out[2]).toMatchObject({ id: 'c3', ok: true });
  });

  it('refuses unknown methods, prototype names included', async () => {
    const { out, session } = collect(fakeEngine());
    await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'constructor', params: {} }));
    expect(out[0]).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('rejects params that fail the schema before the handler runs', async () => {
    let ran = false;
    const { out, session } = collect(
      fakeEngine({
        'app.info': async () => {
          ran = true;
          return {};
        },
      }),
    );
    await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'app.info', params: 'nope' }));
    expect(ran).toBe(false);
    expect(out[0]).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('passes typed engine errors through and flags malformed engine results as INTERNAL', async () => {
    const { out, session } = collect(fakeEngine({ 'app.info': async () => ({ name: 'Nope' }) }));
    await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'clusters.kubeconfig', params: {} }));
    await session.receive(JSON.stringify({ type: 'call', id: 'c2', method: 'app.info', params: {} }));
    expect(out[0]).toMatchObject({ ok: false, error: { code: 'NO_KUBECONFIG', message: 'No kubeconfig found. Create a cluster first.' } });
    expect(out[1]).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('ends a subscription to an unknown stream with an error', async () => {
    const { out, session } = collect(fakeEngine());
    await session.receive(JSON.stringify({ type: 'subscribe', id: 's1', stream: 'nope.never', params: {} }));
    expect(out[0]).toMatchObject({ type: 'end', id: 's1', error: { code: 'UNKNOWN_METHOD' } });
    expect(session.activeStreams).toBe(0);
  });

  it('sends nothing after close', async () => {
    const { out, session } = collect(fakeEngine());
    session.close();
    await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'app.info', params: {} }));
    expect(out).toEqual([]);
  });
});

describe('session router when a params schema throws', () => {
  it('still answers: BAD_REQUEST when the params were too deep to check, INTERNAL for any other throw', async () => {
    const def = calls['app.info'] as { params: unknown };
    const original = def.params;
    const { out, session } = collect(fakeEngine());
    try {
      def.params = z.unknown().superRefine(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });
      await session.receive(JSON.stringify({ type: 'call', id: 'c1', method: 'app.info', params: {} }));
      def.params = z.unknown().superRefine(() => {
        throw new TypeError('x is undefined');
      });
      await session.receive(JSON.stringify({ type: 'call', id: 'c2', method: 'app.info', params: {} }));
    } finally {
      def.params = original;
    }
    expect(out).toEqual([
      { type: 'result', id: 'c1', ok: false, error: { code: 'BAD_REQUEST', message: 'Invalid parameters for app.info: they are nested too deeply to check. Send flatter data.' } },
      { type: 'result', id: 'c2', ok: false, error: expect.objectContaining({ code: 'INTERNAL', message: expect.stringMatching(/x is undefined/) }) },
    ]);
  });
});
