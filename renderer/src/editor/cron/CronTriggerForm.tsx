import { useCallback, useEffect, useState } from 'react';
import { clockTime } from '../../format/time';
import type { FuncdeckError } from '../../../../shared/contract';
import type { CronRun, CronStatus } from '../../../../shared/contract/cron';
import type { FunctionSpecInput } from '../../../../shared/contract/functions';
import { useEngine } from '../../api/engine';
import { formatMs } from '../../panels/deploy/DeployPanel';
import { checkSchedule, COMMON_SCHEDULES } from './schedule';
import './cron.css';

type CronInput = NonNullable<FunctionSpecInput['cron']>;

export interface CronTriggerFormProps {
  fn: string;
  /** The trigger as edited (the spec's cron), applied on the next deploy. */
  cron: CronInput | null | undefined;
  deployed: boolean;
  onChange(cron: CronInput | null): void;
}

const NEW_TRIGGER: CronInput = { schedule: '*/5 * * * *', payload: '{}', contentType: 'application/json', enabled: true };
/** Last runs are read again this often while one is under way, and this often otherwise. */
const BUSY_POLL_MS = 2000;
const IDLE_POLL_MS = 15_000;

const when = (iso: string | null) => (iso ? clockTime(iso) : '—');

/** The function's cron trigger: schedule (checked and said in words), payload, content type, enabled; "Run now" and the last runs. */
export function CronTriggerForm({ fn, cron, deployed, onChange }: CronTriggerFormProps) {
  const engine = useEngine();
  const [status, setStatus] = useState<CronStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const load = useCallback(async () => {
    try {
      setStatus(await engine.call('cron.status', { function: fn, limit: 10 }));
      setProblem(null);
    } catch (e) {
      setProblem((e as FuncdeckError).message);
    }
  }, [engine, fn]);

  const busy = !!status?.runs.some((r) => r.state === 'pending' || r.state === 'running');
  useEffect(() => {
    setStatus(null);
    setNote(null);
  }, [fn]);
  useEffect(() => {
    if (!deployed) return;
    void load();
    const timer = setInterval(() => void load(), busy ? BUSY_POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(timer);
  }, [load, busy, deployed]);

  const runNow = async () => {
    setStarting(true);
    try {
      const { job } = await engine.call('cron.runNow', { function: fn });
      setNote(`Started run ${job}.`);
      await load();
    } catch (e) {
      setNote((e as FuncdeckError).message);
    } finally {
      setStarting(false);
    }
  };

  const check = cron ? checkSchedule(cron.schedule) : null;
  const set = (patch: Partial<CronInput>) => cron && onChange({ ...cron, ...patch });
  const live = status?.deployed ?? null;

  return (
    <section className="cron-form" aria-labelledby="cron-heading">
      <h2 id="cron-heading" className="side-heading">
        Cron trigger
      </h2>
      {!cron ? (
        <div className="cron-none">
          <p className="muted">No schedule: the function runs only when called.</p>
          <button type="button" onClick={() => onChange(NEW_TRIGGER)}>
            Add a schedule
          </button>
        </div>
      ) : (
        <div className="form-row">
          <label htmlFor="cron-enabled">Enabled</label>
          <span>
            <input id="cron-enabled" type="checkbox" checked={cron.enabled !== false} onChange={(e) => set({ enabled: e.target.checked })} />{' '}
            <span className="muted">{cron.enabled === false ? 'Scheduled runs are paused; Run now still works.' : 'Runs on the schedule.'}</span>
          </span>
          <label htmlFor="cron-schedule">Schedule</label>
          <span className="cron-schedule">
            <input id="cron-schedule" value={cron.schedule} spellCheck={false} aria-describedby="cron-words" aria-invalid={!check?.ok} onChange={(e) => set({ schedule: e.target.value })} />
            <select aria-label="Common schedules" value="" onChange={(e) => e.target.value && set({ schedule: e.target.value })}>
              <option value="">Common…</option>
              {COMMON_SCHEDULES.map((c) => (
                <option key={c.schedule} value={c.schedule}>
                  {c.label}
                </option>
              ))}
            </select>
          </span>
          <span id="cron-words" className={check?.ok ? 'cron-words' : 'field-error'} role={check?.ok ? undefined : 'alert'}>
            {check?.text}
          </span>
          <label htmlFor="cron-payload">Payload</label>
          <textarea id="cron-payload" rows={3} spellCheck={false} value={cron.payload ?? ''} onChange={(e) => set({ payload: e.target.value })} />
          <label htmlFor="cron-content-type">Content type</label>
          <input id="cron-content-type" value={cron.contentType ?? 'application/json'} onChange={(e) => set({ contentType: e.target.value })} />
          <span />
          <span>
            <button type="button" onClick={() => onChange(null)}>
              Remove the schedule
            </button>
          </span>
        </div>
      )}
      <div className="cron-deployed">
        <p className="muted" aria-label="Deployed trigger">
          {!deployed
            ? 'Not deployed yet: deploy the function to create its trigger.'
            : problem
              ? `Could not read the trigger: ${problem}`
              : !status
                ? 'Reading the deployed trigger…'
                : live
                  ? `Deployed: ${live.schedule}${live.suspended ? ' (paused)' : ''}; ${live.lastScheduleTime ? `last scheduled run ${when(live.lastScheduleTime)}` : 'no scheduled run yet'}.`
                  : 'No trigger is deployed: add a schedule and deploy.'}
        </p>
        <button type="button" onClick={() => void runNow()} disabled={!live || starting} title={live ? 'Call the function now, as a scheduled run would' : 'Deploy a schedule first'}>
          {starting ? 'Starting…' : 'Run now'}
        </button>
        {note && (
          <span className="muted" role="status">
            {note}
          </span>
        )}
      </div>
      {status && status.runs.length > 0 && <RunsTable runs={status.runs} />}
      {status && live && status.runs.length === 0 && <p className="muted">No runs yet.</p>}
    </section>
  );
}

function RunsTable({ runs }: { runs: CronRun[] }) {
  return (
    <table className="data cron-runs" aria-label="Last runs">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Run</th>
          <th scope="col">State</th>
          <th scope="col">Took</th>
          <th scope="col">Answer</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.name}>
            <td title={r.name}>{when(r.startedAt)}</td>
            <td>{r.manual ? 'Run now' : 'scheduled'}</td>
            <td>
              <span className={`run-state ${r.state}`}>{r.state}</span>
            </td>
            <td>{r.durationMs != null ? formatMs(r.durationMs) : '—'}</td>
            <td className="wrap cron-answer">{r.answer ?? r.reason ?? (r.state === 'running' || r.state === 'pending' ? '…' : '—')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
