import type { BuildDiagnostic, DeployStep, FunctionSummary } from '../../../../shared/contract/functions';
import type { DeployRun } from '../../workspace/useWorkspace';
import { plural } from '../../../../shared/plural';
import './deploy.css';

const STEP_ORDER: Array<{ id: DeployStep['id']; label: string }> = [
  { id: 'validate', label: 'Validate' },
  { id: 'build', label: 'Build' },
  { id: 'apply', label: 'Apply' },
  { id: 'rollout', label: 'Roll out' },
  { id: 'ready', label: 'Ready' },
];

export function formatMs(ms: number | null | undefined) {
  if (ms == null) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Steps of the current deploy with the time each took, and why it failed in words. */
export interface DeployPanelProps {
  run: DeployRun | null;
  /** The function's state from the engine: what serves now, whatever this deploy did. */
  summary: FunctionSummary | null;
  diagnostics: BuildDiagnostic[];
  onReveal(d: BuildDiagnostic): void;
  onInvoke(): void;
}

export function DeployPanel({ run, summary, diagnostics, onReveal, onInvoke }: DeployPanelProps) {
  if (!run) return <p className="panel-empty">No deploy yet. Press Deploy or Ctrl/Cmd+Enter in the editor.</p>;
  const steps = STEP_ORDER.map((s) => run.progress?.steps.find((p) => p.id === s.id) ?? { ...s, state: 'pending' as const, ms: null, detail: null });
  // Failed before the engine reported steps (validation): show Validate as failed.
  if (!run.progress && run.result === 'failed') steps[0] = { ...steps[0]!, state: 'failed' };
  if (!run.progress && run.result === 'running') steps[0] = { ...steps[0]!, state: 'running' };
  const reason = run.progress?.reason ?? run.error?.message ?? null;
  const lastLines = run.lastLogLines;
  return (
    <div className="deploy-panel" role="region" aria-label="Deploy progress" tabIndex={0}>
      <ol className="deploy-steps" aria-label="Deploy steps">
        {steps.map((s) => (
          <li key={s.id} className={`step step-${s.state}`} aria-label={`${s.label}: ${s.state}${s.ms != null ? `, ${formatMs(s.ms)}` : ''}`}>
            <span className="step-icon" aria-hidden="true">
              {s.state === 'done' ? '✓' : s.state === 'failed' ? '✕' : s.state === 'running' ? '…' : s.state === 'skipped' ? '–' : '○'}
            </span>
            <span className="step-label">{s.label}</span>
            <span className="step-ms">{formatMs(s.ms)}</span>
            {s.detail && <span className="step-detail">{s.detail}</span>}
          </li>
        ))}
      </ol>
      <div className="deploy-summary">
        <span>
          {run.result === 'running' && 'Deploying…'}
          {run.result === 'ready' && `Revision ${run.revision ?? '?'} is ready (${formatMs(Date.now() - run.startedAt)} in all).`}
        </span>
        {run.result === 'ready' && (
          <button type="button" className="primary small" onClick={onInvoke} aria-keyshortcuts="Control+Shift+Enter" title="Invoke now (Ctrl/Cmd+Shift+Enter)">
            Invoke now
          </button>
        )}
        {summary && run.result !== 'running' && <span className="muted deploy-now">Now: {summary.headline}</span>}
      </div>
      {run.result === 'failed' && reason && (
        <div className="deploy-failure" role="alert">
          <strong>Deploy failed.</strong> {reason}
          {run.issues.length > 0 && (
            <ul className="issue-list">
              {run.issues.map((i, n) => (
                <li key={n}>
                  {i.path || 'spec'}: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {diagnostics.length > 0 && (
        <section aria-label="Build problems">
          <h3 className="side-heading">Problems</h3>
          <ul className="diag-list">
            {diagnostics.map((d, i) => (
              <li key={i}>
                <button type="button" className="link" onClick={() => onReveal(d)}>
                  {d.file}:{d.line}:{d.column}
                </button>{' '}
                <span className={d.severity === 'error' ? 'error-text' : 'muted'}>{d.message}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {lastLines.length > 0 && (
        <section aria-label="Last log lines of the crashed pod">
          <h3 className="side-heading">Last log lines of the pod</h3>
          <pre className="log-excerpt" tabIndex={0}>{lastLines.join('\n')}</pre>
        </section>
      )}
      {run.buildLog.length > 0 && (
        <details>
          <summary>Build log ({plural(run.buildLog.length, 'line')})</summary>
          <pre className="log-excerpt" tabIndex={0}>{run.buildLog.join('\n')}</pre>
        </details>
      )}
    </div>
  );
}

/** The status bar's line about the open function: deploy progress while one runs, else its serving state. */
export function DeployStatus({ run, name, summary }: { run: DeployRun | null; name: string | null; summary: FunctionSummary | null }) {
  if (!name) return null;
  if (run?.result === 'running') {
    const running = run.progress?.steps.find((s) => s.state === 'running');
    // The live region announces the step; the ticking time stays out of what is read aloud.
    return (
      <span className="deploy-status deploy-running">
        Deploying {name}: {running?.label ?? 'Validate'}
        {running?.ms != null && <span aria-hidden="true"> ({formatMs(running.ms)})</span>}
      </span>
    );
  }
  // A deploy that never reached the cluster (spec or build problem) changed nothing that serves.
  if (run?.result === 'failed' && !run.progress?.steps.some((s) => s.id === 'apply' && s.state === 'done')) {
    return <span className="deploy-status deploy-failed">Deploy of {name} failed: not deployed. {summary ? summary.headline : ''}</span>;
  }
  if (!summary) return <span className="deploy-status">{name}: not deployed</span>;
  return (
    <span className={`deploy-status deploy-${summary.status === 'Failed' ? 'failed' : summary.status === 'Ready' ? 'ready' : 'running'}`}>
      {name}: {summary.headline}
    </span>
  );
}
