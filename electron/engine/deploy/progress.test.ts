import { describe, expect, it } from 'vitest';
import type { DeployProgress } from '../../../shared/contract/functions';
import { DeployTracker, streamDeploy } from './progress';

describe('deploy progress', () => {
  it('replays everything to a late subscriber, then sends only new log lines, and ends after the final state', async () => {
    const tracker = new DeployTracker();
    const r = tracker.start('d1', 'fn');
    r.begin('validate');
    r.end('validate', 'done');
    r.appendLog(['one', 'two']);
    const events: DeployProgress[] = [];
    const ac = new AbortController();
    const done = streamDeploy(r, (e) => events.push(e), ac.signal, 10);
    expect(events[0]).toMatchObject({ deployId: 'd1', phase: 'running', buildLog: ['one', 'two'], final: false });
    r.appendLog(['three']);
    await new Promise((res) => setTimeout(res, 30));
    expect(events.at(-1)!.buildLog).toEqual(['three']);
    r.begin('build');
    r.finish('failed', 'broke', ['last line']);
    await done;
    const last = events.at(-1)!;
    expect(last).toMatchObject({ final: true, phase: 'failed', reason: 'broke', lastLogLines: ['last line'] });
    expect(last.steps.map((s) => s.state)).toEqual(['done', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(events.flatMap((e) => e.buildLog)).toEqual(['one', 'two', 'three']);
  });

  it('lets the UI subscribe before the deploy starts, and refuses a reused id', async () => {
    const tracker = new DeployTracker();
    const ac = new AbortController();
    const waiting = tracker.await('later', 1000, ac.signal);
    tracker.start('later', 'fn');
    expect((await waiting)?.state.deployId).toBe('later');
    expect(await tracker.await('never', 20, ac.signal)).toBeNull();
    expect(() => tracker.start('later', 'fn')).toThrow(/already in use/);
  });
});
