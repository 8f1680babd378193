import { useState, type ReactNode, type Ref } from 'react';
import type { ClusterSelection } from '../../../shared/contract';
import type { FuncdeckError } from '../../../shared/contract';
import type { FunctionSummary } from '../../../shared/contract/functions';
import type { TextMatch } from '../../../shared/contract/revisions';
import { FunctionEditor } from '../editor/FunctionEditor';
import { BottomPanel, type PanelTab } from '../panels/BottomPanel';
import { DeployPanel } from '../panels/deploy/DeployPanel';
import { EventsPanel } from '../panels/events/EventsPanel';
import { InvokePanel, type InvokeHandle } from '../panels/invoke/InvokePanel';
import type { LogFilter } from '../panels/logs/filter-lines';
import { LogsPanel } from '../panels/logs/LogsPanel';
import { MetricsPanel } from '../panels/metrics/MetricsPanel';
import { RevisionsPanel } from '../panels/revisions/RevisionsPanel';
import type { useWorkspace } from '../workspace/useWorkspace';
import { StartPage, type StartPageProps } from '../screens/StartPage';
import type { KeptPlace } from './useKeptPlace';

export interface WorkbenchProps {
  selection: ClusterSelection | null;
  theme: 'dark' | 'light';
  ws: ReturnType<typeof useWorkspace>;
  tab: PanelTab;
  onTab(tab: PanelTab): void;
  logFilter: LogFilter;
  onLogFilter(f: LogFilter): void;
  invokeRef: Ref<InvokeHandle>;
  saveError: FuncdeckError | null;
  onSave(): void;
  onDelete(): void;
  onDeploy(): void;
  onExport?(): void;
  /** The open function's state from the engine, and which revision the editor's text is. */
  summary: FunctionSummary | null;
  match: TextMatch | null;
  onOpenServing(): void;
  onInvokeNow(): void;
  /** The kept place: panel height, editor tab, invoke form. */
  kept: KeptPlace;
  /** What the start page offers while no function is open. */
  start: Omit<StartPageProps, 'selection' | 'recent'>;
  /** A notice over the editor (the cluster reconnecting). */
  notice?: ReactNode;
}

/** The editor with the tools panel below it. Panels stay mounted (hidden) so their state and streams persist. */
export function Workbench(props: WorkbenchProps) {
  const { selection, theme, ws, tab, onTab, logFilter, onLogFilter, invokeRef, saveError, onSave, onDelete, onDeploy, onExport, summary, match, onOpenServing, onInvokeNow, kept, start, notice } = props;
  const [reveal, setReveal] = useState<{ file: string; line: number; column: number; nonce: number } | null>(null);
  const w = ws.workspace;
  // Streams follow a function only once it exists in the cluster.
  const live = w && w.deployed && selection ? w.name : null;
  const selectionKey = selection ? `${selection.context}/${selection.namespace}` : '';
  const notDeployed = <p className="panel-empty">{w ? `${w.name} is not deployed yet. Deploy it (Ctrl/Cmd+Enter) to use this tab.` : 'Open a function to use this tab.'}</p>;
  const pane = (id: PanelTab, content: React.ReactNode) => (
    <div className="panel-pane" hidden={tab !== id}>
      {content}
    </div>
  );

  return (
    <main className="workbench" aria-label={w ? 'Editor' : 'Start'}>
      <div className="editor-area">
        {notice}
        {ws.loadError && (
          <p className="banner error-text" role="alert">
            {ws.loadError.message}
          </p>
        )}
        {saveError && (
          <p className="banner error-text" role="alert">
            Draft not saved: {saveError.message}
          </p>
        )}
        {ws.loading && !w && <p className="banner muted">Opening {ws.loading}…</p>}
        {/* The engine's state says Failed; while a deploy runs (or after one failed, which the Deploy tab
            explains) the new deploy's outcome replaces it. */}
        {w && summary?.status === 'Failed' && ws.deployRun?.result !== 'running' && ws.deployRun?.result !== 'failed' && (
          <section className="banner failure-banner" role="alert" aria-label={`${w.name} failed`}>
            <strong>{w.name} is Failed.</strong> {summary.reason}
            {w.failure && w.failure.lastLogLines.length > 0 && (
              <pre className="log-excerpt" tabIndex={0}>
                {w.failure.lastLogLines.join('\n')}
              </pre>
            )}
          </section>
        )}
        {w ? (
          <FunctionEditor
            workspace={w}
            theme={theme}
            busy={ws.busy}
            reveal={reveal}
            fileTab={kept.fileTab}
            onFileTab={kept.setFileTab}
            summary={summary}
            match={match}
            onOpenServing={onOpenServing}
            onDelete={onDelete}
            onEdit={ws.edit}
            onReplace={ws.replace}
            onSave={onSave}
            onDeploy={onDeploy}
            onExport={w.deployed ? onExport : undefined}
          />
        ) : (
          !ws.loading && <StartPage selection={selection} recent={kept.recent} {...start} />
        )}
      </div>
      <BottomPanel tab={tab} onTab={onTab} height={kept.panelHeight} onHeight={kept.setPanelHeight} badges={ws.deployRun?.result === 'failed' ? { deploy: '!' } : undefined}>
        {pane('invoke', live && selection ? <InvokePanel fn={live} context={selection.context} namespace={selection.namespace} theme={theme} handle={invokeRef} initialForm={kept.invokeFormFor(live)} onForm={(f) => kept.setInvokeForm(live, f)} onRequestId={(id) => (onLogFilter({ text: '', pod: '', revision: '', requestId: id }), onTab('logs'))} /> : notDeployed)}
        {pane('logs', live ? <LogsPanel fn={live} selectionKey={selectionKey} filter={logFilter} onFilter={onLogFilter} /> : notDeployed)}
        {pane('revisions', live ? tab === 'revisions' && <RevisionsPanel fn={live} theme={theme} /> : notDeployed)}
        {pane('metrics', live ? <MetricsPanel fn={live} /> : notDeployed)}
        {pane('events', live ? tab === 'events' && <EventsPanel fn={live} /> : notDeployed)}
        {pane(
          'deploy',
          <DeployPanel
            run={ws.deployRun}
            summary={summary}
            diagnostics={w?.diagnostics ?? []}
            onInvoke={onInvokeNow}
            onReveal={(d) => setReveal({ file: d.file, line: d.line, column: d.column, nonce: Date.now() })}
          />,
        )}
      </BottomPanel>
    </main>
  );
}
