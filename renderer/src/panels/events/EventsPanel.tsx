import type { EventsSnapshot } from '../../../../shared/contract/events';
import { useStream } from '../../api/hooks';
import { clockTime } from '../../format/time';
import { age } from '../revisions/age';
import { eventSeverity } from './severity';

/** Kubernetes events of the function's objects, newest first (events.watch). */
export function EventsPanel({ fn }: { fn: string }) {
  const stream = useStream('events.watch', { function: fn, limit: 300 }, null as EventsSnapshot | null, (_p, s) => s, 200);
  if (stream.error) return <p className="panel-empty error-text">{stream.error.message}</p>;
  const snap = stream.value;
  if (!snap) return <p className="panel-empty">Loading events…</p>;
  if (snap.events.length === 0) return <p className="panel-empty">No events for {fn}'s objects (Kubernetes keeps them for about an hour).</p>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Events">
        <thead>
          <tr>
            <th scope="col">Last seen</th>
            <th scope="col">Type</th>
            <th scope="col">Reason</th>
            <th scope="col">Object</th>
            <th scope="col">Message</th>
            <th scope="col">Count</th>
          </tr>
        </thead>
        <tbody>
          {snap.events.map((e) => (
            <tr key={e.uid}>
              <td>{e.lastSeen ? <time dateTime={e.lastSeen} title={`${age(e.lastSeen)} ago`}>{clockTime(e.lastSeen)}</time> : '—'}</td>
              <td className={eventSeverity(e, snap.events) === 'warning' ? 'error-text' : 'muted'}>
                {e.type === 'Warning' && eventSeverity(e, snap.events) === 'info' ? 'Starting' : e.type}
              </td>
              <td>{e.reason}</td>
              <td>
                {e.involvedObject.kind}/{e.involvedObject.name}
              </td>
              <td className="wrap">{e.message}</td>
              <td>{e.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {snap.truncated && <p className="muted panel-empty">Older events left out.</p>}
    </div>
  );
}
