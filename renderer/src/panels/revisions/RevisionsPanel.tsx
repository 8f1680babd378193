import { useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { RevisionsSnapshot } from '../../../../shared/contract/revisions';
import { useEngine } from '../../api/engine';
import { useStream } from '../../api/hooks';
import { age } from './age';
import { RevisionDiff } from './RevisionDiff';
import './revisions.css';

/** The function's revisions (revisions.watch): table, diff of any two, roll back. */
export function RevisionsPanel({ fn, theme }: { fn: string; theme: 'dark' | 'light' }) {
  const engine = useEngine();
  const stream = useStream('revisions.watch', { name: fn }, null as RevisionsSnapshot | null, (_p, s) => s, 150);
  const [compare, setCompare] = useState<number[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [rolling, setRolling] = useState<number | null>(null);
  const revisions = stream.value?.name === fn ? stream.value.revisions : null;

  const toggle = (n: number) =>
    setCompare((c) => (c.includes(n) ? c.filter((x) => x !== n) : [...c, n].slice(-2)));

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

  if (stream.error) return <p className="panel-empty error-text">{stream.error.message}</p>;
  if (!revisions) return <p className="panel-empty">Loading revisions…</p>;
  if (revisions.length === 0) return <p className="panel-empty">No revisions yet: deploy the function to make revision 1.</p>;
  return (
    <div className="revisions-panel">
      <div className="rev-table">
        <div className="panel-toolbar">
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
                <th scope="col">Age</th>
                <th scope="col">Checksum</th>
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
                <tr key={r.number} aria-label={`Revision ${r.number}`} className={r.serving ? 'serving' : undefined}>
                  <td>
                    <input type="checkbox" aria-label={`Compare revision ${r.number}`} checked={compare.includes(r.number)} onChange={() => toggle(r.number)} />
                  </td>
                  <td>
                    {r.number}
                    {r.serving && <span className="serving-badge">serving</span>}
                  </td>
                  <td>{age(r.created)}</td>
                  <td>
                    <code title={r.checksum}>{r.checksum.slice(0, 10)}</code>
                  </td>
                  <td>
                    {r.ready}/{r.desired}
                  </td>
                  <td>{r.trafficPercent}%</td>
                  <td title={r.reason ?? undefined}>
                    <span className={`status status-${r.status}`}>{r.status}</span>
                    {r.reason && compare.length < 2 && <span className="muted rev-reason"> {r.reason}</span>}
                  </td>
                  <td>
                    {!r.serving && (
                      <button type="button" className="small" disabled={rolling !== null} onClick={() => void rollback(r.number)}>
                        {rolling === r.number ? 'Rolling back…' : 'Roll back to this'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {compare.length === 2 && <RevisionDiff fn={fn} a={compare[0]!} b={compare[1]!} theme={theme} />}
    </div>
  );
}
