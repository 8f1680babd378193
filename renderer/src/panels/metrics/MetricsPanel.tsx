import { lazy, Suspense, useMemo, useState } from 'react';
import type { MetricsEvent, MetricsSample } from '../../../../shared/contract/metrics';
import { plural, pluralWord } from '../../../../shared/plural';
import { useStream } from '../../api/hooks';
import { CHARTS, columns, sinceStart, totalRequests } from './series';
import './metrics.css';

// uPlot loads with the first chart, not with the app.
const UPlotChart = lazy(() => import('./UPlotChart'));
/** Same order as UPlotChart's stroke colours (kept here so the heading does not pull uPlot in). */
const SERIES_COLORS = ['#4c8ef7', '#f59e0b', '#ef4444', '#10b981'];

interface State {
  samples: MetricsSample[];
  usageSource: MetricsEvent['usageSource'];
  problems: string[];
}
const EMPTY: State = { samples: [], usageSource: 'none', problems: [] };

/** Live charts of the function (metrics.watch), for all revisions or one. */
export function MetricsPanel({ fn }: { fn: string }) {
  const stream = useStream(
    'metrics.watch',
    { function: fn, intervalMs: 1000 },
    EMPTY,
    (s, e) => ({
      samples: (e.reset ? e.samples : [...s.samples, ...e.samples]).slice(-600),
      usageSource: e.usageSource,
      problems: e.problems,
    }),
    250,
  );
  const [revision, setRevision] = useState<string>('');
  const { samples, usageSource, problems } = stream.value;
  const revisions = useMemo(() => [...new Set(samples.flatMap((s) => Object.keys(s.perRevision)))].sort((a, b) => Number(a) - Number(b)), [samples]);
  const rev = revision || null;
  const last = samples.at(-1);
  const totals = sinceStart(samples, rev);
  const windowMin = samples.length > 1 ? Math.max(1, Math.round((samples.at(-1)!.t - samples[0]!.t) / 60_000)) : 1;

  if (stream.error) return <p className="panel-empty error-text">{stream.error.message}</p>;
  return (
    <div className="metrics-panel">
      <div className="panel-toolbar">
        <label>
          Show
          <select aria-label="Revision to chart" value={revision} onChange={(e) => setRevision(e.target.value)}>
            <option value="">All revisions</option>
            {revisions.map((r) => (
              <option key={r} value={r}>
                Revision {r}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status" aria-label="Metrics summary">
          {samples.length === 0
            ? 'Waiting for the first sample…'
            : `${plural(totalRequests(samples, rev), 'request')} in the last ${windowMin} min · now ${last ? (rev ? last.perRevision[rev]?.rps : last.total.rps)?.toFixed(1) ?? '0' : '0'} req/s${coldStartsText(samples, rev)}`}
        </span>
        {totals && (
          <figure className="metrics-totals">
            <figcaption>{rev ? `Revision ${rev} since its pods started` : 'Since the pods started'}</figcaption>
            <span className="metrics-total">
              <strong>{totals.requests.toLocaleString('en')}</strong> {pluralWord(totals.requests, 'call')}
            </span>
            <span className={totals.errors > 0 ? 'metrics-total error-text' : 'metrics-total'}>
              <strong>{totals.errors.toLocaleString('en')}</strong> {pluralWord(totals.errors, 'error')} (5xx)
            </span>
          </figure>
        )}
        <span className="grow" />
        <span className="muted">CPU and memory from {usageSource === 'none' ? 'nowhere yet (no metrics-server or kubelet summary)' : usageSource}</span>
      </div>
      {problems.length > 0 && (
        <p className="log-note muted" role="status">
          {problems.join(' · ')}
        </p>
      )}
      {/* Focusable: it scrolls when the panel is short, and the keyboard must reach what is below. */}
      <div className="charts" role="group" aria-label="Charts" tabIndex={0}>
        {CHARTS.map((c) => (
          <section key={c.id} className="chart" aria-label={c.title}>
            <h3 className="chart-title">
              {c.title} <span className="muted">({c.unit})</span>
              {c.series.map((ser, i) => {
                const v = last ? ser.pick(last, rev) : null;
                return (
                  <span key={ser.label} className="chart-key">
                    {/* The colour marks the line; the words stay in the text colour, readable in both themes. */}
                    <span aria-hidden="true" style={{ color: SERIES_COLORS[i % SERIES_COLORS.length] }}>
                      ■
                    </span>{' '}
                    {c.series.length > 1 ? `${ser.label} ` : ''}
                    {v === null ? '—' : +v.toFixed(v >= 100 ? 0 : 2)}
                  </span>
                );
              })}
            </h3>
            <Suspense fallback={<div className="chart-host muted">Loading chart…</div>}>
              <UPlotChart title={c.title} unit={c.unit} labels={c.series.map((s) => s.label)} data={columns(c, samples, rev)} />
            </Suspense>
          </section>
        ))}
      </div>
    </div>
  );
}

/** Cold starts in the window (the namespace gateway counts them), with their mean wait; empty when none. */
function coldStartsText(samples: MetricsSample[], rev: string | null): string {
  let n = 0;
  let ms = 0;
  for (const s of samples) {
    const m = rev ? s.perRevision[rev] : s.total;
    if (!m?.coldStarts) continue;
    n += m.coldStarts;
    ms += m.coldStarts * (m.coldStartMs ?? 0);
  }
  return n ? ` · ${plural(n, 'cold start')} (mean ${Math.round(ms / n)} ms)` : '';
}
