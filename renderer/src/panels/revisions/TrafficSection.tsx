import { pluralWord } from '../../../../shared/plural';
import { useState, type FormEvent } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { RevisionInfo } from '../../../../shared/contract/revisions';
import type { CanaryStatus, GatewayInfo, TrafficState } from '../../../../shared/contract/traffic';
import { useEngine } from '../../api/engine';
import { useStream } from '../../api/hooks';
import { parseSteps, rebalance, tagsFrom, tagsTo, total, weightsFrom, type Weights } from './traffic-form';

interface Draft {
  weights: Weights;
  tags: Record<number, string>;
}

function canaryText(c: CanaryStatus): string {
  if (c.state === 'rolled-back') return `Canary of revision ${c.to} rolled back: ${c.reason ?? ''}`;
  if (c.state === 'promoted') return `Canary of revision ${c.to} promoted: ${c.reason ?? ''}`;
  if (c.state === 'stopped') return `Canary of revision ${c.to} stopped.`;
  const next = c.nextStepAt ? Math.max(0, Math.round((Date.parse(c.nextStepAt) - Date.now()) / 1000)) : null;
  const seen = c.window ? ` ${c.window.errors} of its last ${c.window.requests} calls failed (limit ${Math.round(c.plan.maxErrorRate * 100)}%).` : '';
  return `Canary: revision ${c.to} gets ${c.percent}% (step ${c.step + 1} of ${c.plan.steps.length}${next !== null ? `, next in ${next} s` : ''}); revision ${c.from} keeps the rest.${seen}`;
}

function gatewayText(g: GatewayInfo | null): string {
  if (!g) return 'Gateway: …';
  if (g.state === 'absent') return 'No gateway in this namespace (no function needs it).';
  const pods = `${g.pods.filter((p) => p.ready).length}/${g.pods.length} ${pluralWord(g.pods.length, 'pod')} ready`;
  return `Gateway ${g.state}, version ${g.version ?? '?'}, ${pods}${g.reason ? `. ${g.reason}` : ''}`;
}

/**
 * The function's traffic (traffic.watch): weights that always add up to 100, tags (the
 * x-funcdeck-tag header reaches a tagged revision), the rollout plan new deploys follow with a
 * canary's live progress, and the namespace gateway's state and log.
 */
export function TrafficSection({ fn, revisions }: { fn: string; revisions: RevisionInfo[] }) {
  const engine = useEngine();
  const live = useStream('traffic.watch', { name: fn }, null as TrafficState | null, (_s, e) => e, 150);
  const gateway = useStream('gateway.watch', {}, null as GatewayInfo | null, (_s, e) => e, 300);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [plan, setPlan] = useState<{ on: boolean; steps: string; seconds: number } | null>(null);
  const [log, setLog] = useState<string[] | null>(null);
  const state = live.value?.name === fn ? live.value : null;
  const numbers = revisions.map((r) => r.number);
  const shown: Draft | null = draft ?? (state ? { weights: weightsFrom(state.weights, numbers), tags: tagsFrom(state.tags) } : null);
  const savedPlan = state?.rolloutPlan ?? null;
  const planShown = plan ?? { on: !!savedPlan, steps: (savedPlan?.steps ?? [10, 50, 100]).join(', '), seconds: savedPlan?.stepSeconds ?? 30 };

  const run = async (what: () => Promise<TrafficState>, done: string) => {
    setBusy(true);
    setNote(null);
    try {
      await what();
      setNote({ text: done, error: false });
      setDraft(null);
      setPlan(null);
    } catch (e) {
      setNote({ text: (e as FuncdeckError).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!shown) return;
    const weights = Object.entries(shown.weights)
      .map(([revision, percent]) => ({ revision: Number(revision), percent }))
      .filter((w) => w.percent > 0);
    void run(() => engine.call('traffic.set', { name: fn, weights, tags: tagsTo(shown.tags) }), 'Traffic applied: calls follow it now.');
  };

  const savePlan = (e: FormEvent) => {
    e.preventDefault();
    const steps = parseSteps(planShown.steps);
    if (planShown.on && !steps) return setNote({ text: 'Give the steps as percentages, e.g. "10, 50, 100".', error: true });
    const p = planShown.on && steps ? { steps, stepSeconds: planShown.seconds } : null;
    void run(() => engine.call('traffic.rollout', { name: fn, plan: p }), p ? `New deploys roll out as a canary: ${steps!.join('% → ')}%.` : 'New deploys take all traffic once ready.');
  };

  const showLog = async () => {
    if (log) return setLog(null);
    try {
      setLog((await engine.call('gateway.logs', { tailLines: 200 })).lines.map((l) => `${l.pod}  ${l.text}`));
    } catch (e) {
      setLog([(e as FuncdeckError).message]);
    }
  };

  return (
    <section className="traffic" aria-label="Traffic">
      <div className="traffic-head">
        <h3>Traffic</h3>
        <span className="muted">{state ? (state.via === 'gateway' ? `Through the namespace gateway: ${state.gatewayReason ?? ''}` : "Straight to the serving revision's pods") : live.error ? live.error.message : 'Loading…'}</span>
        {note && (
          <span role="status" className={note.error ? 'error-text traffic-note' : 'traffic-note'}>
            {note.text}
          </span>
        )}
      </div>
      {state?.canary && (
        <p role="status" aria-label="Canary progress" className={`canary canary-${state.canary.state}`}>
          {canaryText(state.canary)}
        </p>
      )}
      {shown && (
        <form className="traffic-form" aria-label="Traffic split" onSubmit={apply}>
          <table className="data traffic-table" aria-label="Traffic split">
            <colgroup>
              <col className="tc-rev" />
              <col className="tc-share" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Share</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {numbers.map((n) => (
                <tr key={n}>
                  <td>{n}</td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      step={1}
                      aria-label={`Traffic to revision ${n} (percent)`}
                      value={shown.weights[n] ?? 0}
                      onChange={(e) => setDraft({ ...shown, weights: rebalance(shown.weights, n, Number(e.target.value)) })}
                    />
                    %
                  </td>
                  <td>
                    <input aria-label={`Tags of revision ${n}`} placeholder="e.g. test" value={shown.tags[n] ?? ''} onChange={(e) => setDraft({ ...shown, tags: { ...shown.tags, [n]: e.target.value } })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted traffic-hint">A call with the header x-funcdeck-tag: &lt;tag&gt; reaches the tagged revision, whatever its share.</p>
          <div className="traffic-actions">
            <span aria-label="Total share">Total {total(shown.weights)}%</span>
            <button type="submit" className="primary small" disabled={!draft || busy}>
              {busy ? 'Applying…' : 'Apply traffic'}
            </button>
            <button type="button" className="small" disabled={!draft || busy} onClick={() => setDraft(null)}>
              Reset
            </button>
          </div>
        </form>
      )}
      <form className="traffic-plan" aria-label="Rollout plan" onSubmit={savePlan}>
        <label>
          <input type="checkbox" checked={planShown.on} onChange={(e) => setPlan({ ...planShown, on: e.target.checked })} /> Roll out new deploys as a canary
        </label>
        <label>
          Steps (%) <input aria-label="Canary steps (percent)" value={planShown.steps} disabled={!planShown.on} onChange={(e) => setPlan({ ...planShown, steps: e.target.value })} />
        </label>
        <label>
          Seconds per step{' '}
          <input type="number" min={5} max={3600} aria-label="Seconds per step" value={planShown.seconds} disabled={!planShown.on} onChange={(e) => setPlan({ ...planShown, seconds: Number(e.target.value) })} />
        </label>
        <button type="submit" className="small" disabled={!plan || busy}>
          Save rollout plan
        </button>
      </form>
      <div className="gateway-line">
        <span aria-label="Gateway state">{gatewayText(gateway.value)}</span>
        {gateway.value && gateway.value.state !== 'absent' && (
          <button type="button" className="small" aria-expanded={!!log} onClick={() => void showLog()}>
            {log ? 'Hide gateway log' : 'Show gateway log'}
          </button>
        )}
      </div>
      {log && (
        <pre className="gateway-log" role="log" aria-label="Gateway log" tabIndex={0}>
          {log.join('\n') || 'No lines yet.'}
        </pre>
      )}
    </section>
  );
}
