import { useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { RevisionInfo, RevisionsSnapshot } from '../../../../shared/contract/revisions';
import { useEngine } from '../../api/engine';
import { useStream } from '../../api/hooks';
import { ConfirmDialog } from '../../dialogs/ConfirmDialog';
import { age } from './age';
import { changesText, changesTitle, settingsText } from './describe';
import { RevisionDiff } from './RevisionDiff';
import { TrafficSection } from './TrafficSection';
import './revisions.css';

/** The function's revisions (revisions.watch): what serves, what changed, image and settings; diff any two; roll back. */
export function RevisionsPanel({ fn, theme }: { fn: string; theme: 'dark' | 'light' }) {
  const engine = useEngine();
  const stream = useStream('revisions.watch', { name: fn }, null as RevisionsSnapshot | null, (_p, s) => s, 150);
  const [compare, setCompare] = useState<number[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [rolling, setRolling] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<RevisionInfo | null>(null);
  const snapshot = stream.value?.name === fn ? stream.value : null;
  const revisions = snapshot?.revisions ?? null;
  const summary = snapshot?.summary ?? null;

  const toggle = (n: number) => setCompare((c) => (c.includes(n) ? c.filter((x) => x !== n) : [...c, n].slice(-2)));

  const rollback = async (n: number) => {
    setRolling(n);
    setNote(null);
    try {
      const r = await engine.call('revisions.rollback', { name: fn, revision: n });
      setNote(`All traffic now goes to revision ${r.serving}.`);
    } catch (e) {
      setNote((e as FuncdeckError).message);
    } finally {
      setRolling(null);
    }
  };
  // A revision that failed will most likely fail again: say so first.
  const askRollback = (r: RevisionInfo) => (r.status === 'Failed' ? setConfirm(r) : void rollback(r.number));

  if (stream.error) return <p className="panel-empty error-text">{stream.error.message}</p>;
  if (!revisions) return <p className="panel-empty">Loading revisions…</p>;
  if (revisions.length === 0) return <p className="panel-empty">No revisions yet: deploy the function to make revision 1.</p>;
  const settings = Object.fromEntries(revisions.map((r) => [r.number, r.settings]));
  // Beside a diff (which shows image and settings itself) the table keeps the columns that fit.
  const wide = compare.length < 2;
  return (
    <div className="revisions-panel">
      <div className="rev-table">
        <div className="panel-toolbar">
          {summary && (
            <strong className={`rev-headline status-${summary.status}`} title={summary.reason ?? undefined}>
              {summary.headline}
            </strong>
          )}
          <span className="muted">Tick two revisions to compare them.</span>
          {note && (
            <span role="status" className="rev-note">
              {note}
            </span>
          )}
        </div>
        <div className="table-wrap">
          <table className="data" aria-label="Revisions">
            <thead>
              <tr>
                <th scope="col">Diff</th>
                <th scope="col">Revision</th>
                {wide && <th scope="col">Age</th>}
                <th scope="col">Changes</th>
                {wide && <th scope="col">Image and settings</th>}
                <th scope="col">Pods</th>
                <th scope="col">Traffic</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.number} aria-label={`Revision ${r.number}`} className={r.serving ? 'serving' : r.status === 'Failed' ? 'failed' : undefined}>
                  <td>
                    <input type="checkbox" aria-label={`Compare revision ${r.number}`} checked={compare.includes(r.number)} onChange={() => toggle(r.number)} />
                  </td>
                  <td>
                    {r.number}
                    {r.serving && <span className="serving-badge">serving</span>}
                    {r.rolledBackFrom && (
                      <span className="rolled-back-badge" title={`It served until a rollback moved traffic to revision ${summary?.servingRevision ?? '?'}`}>
                        rolled back
                      </span>
                    )}
                  </td>
                  {wide && <td>{age(r.created)}</td>}
                  <td className="rev-changes" title={changesTitle(r)}>
                    {changesText(r)}
                  </td>
                  {wide && (
                    <td className="rev-settings" title={r.settings ? `Image ${r.settings.image}` : undefined}>
                      {settingsText(r.settings)}
                    </td>
                  )}
                  <td>
                    {r.ready}/{r.desired}
                  </td>
                  <td>{r.trafficPercent}%</td>
                  <td title={r.reason ?? undefined}>
                    <span className={`status status-${r.status}`}>{r.status}</span>
                    {r.reason && wide && <span className="muted rev-reason"> {r.reason}</span>}
                  </td>
                  <td>
                    {!r.serving && (
                      <button type="button" className="small" disabled={rolling !== null} onClick={() => askRollback(r)}>
                        {rolling === r.number ? `Rolling back to revision ${r.number}…` : `Roll back to revision ${r.number}`}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {/* Traffic beside the table; a diff, when open, takes its place. */}
      {compare.length < 2 && <TrafficSection fn={fn} revisions={revisions} />}
      {compare.length === 2 && <RevisionDiff fn={fn} a={compare[0]!} b={compare[1]!} settings={settings} theme={theme} />}
      {confirm && (
        <ConfirmDialog
          title={`Roll back to failed revision ${confirm.number}?`}
          confirm={`Roll back to revision ${confirm.number} anyway`}
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const n = confirm.number;
            setConfirm(null);
            void rollback(n);
          }}
        >
          <p>
            Revision {confirm.number} failed: {confirm.reason ?? 'it did not become ready.'}
          </p>
          <p>
            Rolling back starts it again. If it fails again, traffic stays with {summary?.servingRevision ? `revision ${summary.servingRevision}` : 'the serving revision'}.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
