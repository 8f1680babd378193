import { useEffect, useRef, useState } from 'react';
import type { FuncdeckError, KubeContext } from '../../../shared/contract';
import { useEngineStatus } from '../api/hooks';
import { useClusters } from '../clusters/useClusters';
import { useConnection } from '../clusters/useConnection';
import { ReconnectingBanner } from '../clusters/ReconnectingBanner';
import type { FunctionTemplate } from '../../../shared/contract/functions';
import { probeWord } from '../sidebar/ContextPicker';
import { CommandPalette } from '../commands/CommandPalette';
import { usePaletteData } from '../commands/usePaletteData';
import { useEngine } from '../api/engine';
import { ConfirmDeleteDialog } from '../dialogs/ConfirmDeleteDialog';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { ConfirmLeaveDialog } from '../dialogs/ConfirmLeaveDialog';
import { ExportDialog } from '../dialogs/ExportDialog';
import { ImportDialog } from '../dialogs/ImportDialog';
import { NewFunctionDialog } from '../dialogs/NewFunctionDialog';
import { SettingsDialog } from '../dialogs/SettingsDialog';
import { useFunctions } from '../functions/useFunctions';
import type { PanelTab } from '../panels/BottomPanel';
import { DeployStatus } from '../panels/deploy/DeployPanel';
import type { InvokeHandle } from '../panels/invoke/InvokePanel';
import { NO_FILTER, type LogFilter } from '../panels/logs/filter-lines';
import { ClusterProblemScreen } from '../screens/ClusterProblemScreen';
import { NoClusterScreen } from '../screens/NoClusterScreen';
import { ContextPicker } from '../sidebar/ContextPicker';
import { FunctionList } from '../sidebar/FunctionList';
import { NamespacePicker } from '../sidebar/NamespacePicker';
import { Sidebar } from '../sidebar/Sidebar';
import { StatusBar } from '../status/StatusBar';
import { StoreProblemsNotice } from '../status/StoreProblemsNotice';
import { useTextMatch } from '../workspace/useTextMatch';
import { useWorkspace } from '../workspace/useWorkspace';
import { buildCommands } from './commands';
import { useDrafts } from './useDrafts';
import { useKeptPlace } from './useKeptPlace';
import { useSettings } from './useSettings';
import { useShortcuts } from './useShortcuts';
import { notifySaved } from '../live/saved';
import { useResolvedTheme } from './useTheme';
import { Workbench } from './Workbench';
import './app.css';

type Dialog =
  | { kind: 'import' }
  | { kind: 'export'; format: 'manifests' | 'knative' }
  | { kind: 'new'; template?: FunctionTemplate }
  | { kind: 'settings' }
  | { kind: 'palette' }
  | { kind: 'delete' }
  | { kind: 'leave'; then(): void }
  | { kind: 'replace-rollback'; serving: number; from: number }
  | null;

export function App() {
  const engine = useEngine();
  const engineStatus = useEngineStatus();
  const { settings, update: updateSettings } = useSettings();
  const theme = useResolvedTheme(settings.theme);
  const clusters = useClusters(settings.defaultNamespace);
  const { kubeconfig, selection, probes } = clusters;
  const [tab, setTab] = useState<PanelTab>('invoke');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [offline, setOffline] = useState<string | null>(null);
  const [logFilter, setLogFilter] = useState<LogFilter>(NO_FILTER);
  const [saveError, setSaveError] = useState<FuncdeckError | null>(null);
  const [rollbackError, setRollbackError] = useState<string | null>(null);
  const invokeRef = useRef<InvokeHandle>(null);

  const probe = selection ? probes[selection.context] : undefined;
  const reachable = probe ? probe.reachable : null;
  const selectionKey = selection ? `${selection.context}/${selection.namespace}` : '';
  // A blip (the cluster answered, then briefly did not) keeps the workbench and its streams.
  const connection = useConnection(selection?.context ?? null, probe, clusters.health, null);
  const reconnecting = connection.kind === 'reconnecting' ? connection : null;
  const fns = useFunctions(!!selection && (reachable !== false || !!reconnecting), selectionKey);
  const drafts = useDrafts(selection);
  const ws = useWorkspace(selection);
  const w = ws.workspace;
  // The place in each context (and unsaved text) is kept by the engine, so leaving the page or the
  // context loses nothing and needs no question.
  const kept = useKeptPlace(selection, ws, tab, setTab);
  const selectContext = async (c: KubeContext) => {
    if (c.name === selection?.context) return;
    kept.flush();
    const namespace = await kept.namespaceOf(c.name);
    await clusters.select(c.name, namespace ?? c.namespace ?? settings.defaultNamespace);
  };
  const blockingError = fns.error && ['FORBIDDEN', 'UNAUTHORIZED', 'CLUSTER_UNREACHABLE'].includes(fns.error.code) ? fns.error : null;
  // Why the sidebar lists only drafts (the main area explains the problem in full).
  const functionsUnavailable = reconnecting
    ? null
    : reachable === false || blockingError?.code === 'CLUSTER_UNREACHABLE'
      ? 'The cluster is unreachable, so only local drafts are listed.'
      : blockingError?.code === 'FORBIDDEN'
        ? 'No permission to list functions here, so only local drafts are listed.'
        : blockingError
          ? 'The cluster refused the credentials, so only local drafts are listed.'
          : null;
  const deployedNames = new Set((fns.functions ?? []).map((f) => f.name));
  // The open function as the engine sees it: the one model every view reads.
  const summary = (w && fns.functions?.find((f) => f.name === w.name)) || null;
  const match = useTextMatch(w?.deployed ? w.name : null, w?.spec ?? null, summary, w ? ((selection && settings.contextImages[selection.context]?.[w.spec.runtime]) ?? settings.defaultImages[w.spec.runtime] ?? '') : '');
  const draftNames = drafts.drafts.map((d) => d.name);

  /** Runs `action` now, or after the user chose what to do with unsaved edits. */
  const guard = (action: () => void) => {
    if (w?.dirty) setDialog({ kind: 'leave', then: action });
    else action();
  };
  const save = async () => {
    const err = await ws.save();
    setSaveError(err);
    drafts.refresh();
    if (!err && w) notifySaved(w.name); // live mode pushes the saved code (renderer/src/live)
  };
  const openFunction = (name: string) => {
    if (name === w?.name) return;
    guard(() => {
      setLogFilter(NO_FILTER);
      void ws.open(name);
    });
  };
  const deployNow = async () => {
    setTab('deploy');
    await ws.deploy();
    drafts.refresh();
  };
  // Deploying over a rollback undoes it: ask first.
  const deploy = async () => {
    if (summary?.rolledBackFrom != null && summary.servingRevision !== null) {
      setDialog({ kind: 'replace-rollback', serving: summary.servingRevision, from: summary.rolledBackFrom });
      return;
    }
    await deployNow();
  };
  const openServing = () => {
    const serving = summary?.servingRevision;
    if (serving) guard(() => void ws.openRevision(serving));
  };
  // The Invoke panel mounts once the function counts as deployed, which can follow the "ready" that
  // offers "Invoke now" by a moment: a send asked for before then goes out when it mounts.
  const pendingInvoke = useRef(false);
  const invoke = () => {
    setTab('invoke');
    if (invokeRef.current) invokeRef.current.send();
    else pendingInvoke.current = true;
  };
  useEffect(() => {
    if (!pendingInvoke.current || !invokeRef.current) return;
    pendingInvoke.current = false;
    invokeRef.current.send();
  });

  const paletteData = usePaletteData(dialog?.kind === 'palette', selection?.context ?? null, w?.deployed ? w.name : null);
  const selectNamespace = (ns: string) => selection && guard(() => void clusters.select(selection.context, ns));
  const commands = buildCommands({
    hasFunction: !!w,
    deployed: !!w?.deployed,
    canCreate: !!selection,
    contexts: kubeconfig?.contexts ?? [],
    onNew: () => guard(() => setDialog({ kind: 'new' })),
    onSave: () => void save(),
    onDeploy: () => void deploy(),
    onInvoke: invoke,
    onTab: setTab,
    onSettings: () => setDialog({ kind: 'settings' }),
    onContext: (c) => void selectContext(c),
    onTheme: (theme) => void updateSettings({ theme }),
    onRecheck: clusters.reload,
    onDelete: () => setDialog({ kind: 'delete' }),
    functions: [...new Set([...deployedNames, ...draftNames])].sort(),
    onOpen: openFunction,
    onClose: () => guard(() => ws.close()),
    namespaces: [...new Set([...paletteData.namespaces, ...(selection ? [selection.namespace] : [])])].sort(),
    namespace: selection?.namespace ?? null,
    onNamespace: selectNamespace,
    revisions: paletteData.revisions,
    onRollback: (revision) => {
      if (!w) return;
      setTab('revisions');
      setRollbackError(null);
      engine.call('revisions.rollback', { name: w.name, revision }).catch((e: FuncdeckError) => setRollbackError(`Roll back to revision ${revision} failed: ${e.message}`));
    },
    onImport: () => guard(() => setDialog({ kind: 'import' })),
    onExport: (format) => setDialog({ kind: 'export', format }),
  });

  useShortcuts([
    { keys: 'mod+shift+p', run: () => setDialog({ kind: 'palette' }) },
    { keys: 'mod+s', run: () => w && void save() },
    { keys: 'mod+shift+enter', run: () => w?.deployed && invoke() },
    { keys: 'mod+enter', run: () => w && void deploy() },
  ]);

  let main;
  if (kubeconfig === null) {
    main = (
      <main className="screen muted" aria-busy="true">
        Reading kubeconfig…
      </main>
    );
  } else if (kubeconfig.contexts.length === 0) {
    main = <NoClusterScreen kubeconfig={kubeconfig} onRetry={clusters.reload} />;
  } else if (selection && (connection.kind === 'problem' || (blockingError && !reconnecting)) && offline !== selection.context) {
    main = (
      <ClusterProblemScreen context={selection.context} probe={probe} error={blockingError} onRetry={clusters.reload} onOffline={() => setOffline(selection.context)} />
    );
  } else {
    main = (
      <Workbench
        selection={selection}
        theme={theme}
        ws={ws}
        tab={tab}
        onTab={setTab}
        logFilter={logFilter}
        onLogFilter={setLogFilter}
        invokeRef={invokeRef}
        saveError={saveError}
        onSave={() => void save()}
        onDelete={() => setDialog({ kind: 'delete' })}
        onDeploy={() => void deploy()}
        kept={kept}
        start={{
          reachability: probe ? probeWord(probe) : null,
          canCreate: !!selection,
          onTemplate: (t) => guard(() => setDialog({ kind: 'new', template: t })),
          onOpen: openFunction,
        }}
        notice={
          <>
            {reconnecting && selection && <ReconnectingBanner context={selection.context} since={reconnecting.since} />}
            {rollbackError && (
              <p className="banner error-text" role="alert">
                {rollbackError}
              </p>
            )}
          </>
        }
        onExport={() => setDialog({ kind: 'export', format: 'manifests' })}
        summary={summary}
        match={match}
        onOpenServing={openServing}
        onInvokeNow={invoke}
      />
    );
  }

  return (
    <div className="app">
      <Sidebar onSettings={() => setDialog({ kind: 'settings' })}>
        {kubeconfig && kubeconfig.contexts.length > 0 && (
          <ContextPicker
            contexts={kubeconfig.contexts}
            current={kubeconfig.current}
            selected={selection?.context ?? null}
            probes={probes}
            problems={kubeconfig.problems}
            disabled={clusters.selecting}
            onSelect={(c) => void selectContext(c)}
          />
        )}
        {kubeconfig && kubeconfig.contexts.length === 0 && (
          <section className="side-section">
            <h2 className="side-heading">Cluster context</h2>
            <p className="side-note muted">No contexts found.</p>
          </section>
        )}
        {selection && (
          <NamespacePicker
            context={selection.context}
            namespace={selection.namespace}
            reachable={reachable !== false || !!reconnecting}
            disabled={clusters.selecting}
            onSelect={selectNamespace}
          />
        )}
        {clusters.error && (
          <p className="side-note error-text side-section" role="alert">
            {clusters.error.message}
          </p>
        )}
        <FunctionList
          functions={reachable === false && !reconnecting ? null : fns.functions}
          unavailable={functionsUnavailable}
          draftOnly={draftNames.filter((n) => !deployedNames.has(n))}
          withDraft={new Set(draftNames)}
          error={blockingError ? null : fns.error}
          open={w?.name ?? ws.loading}
          disabled={!selection}
          onOpen={openFunction}
          onNew={() => guard(() => setDialog({ kind: 'new' }))}
          onImport={() => guard(() => setDialog({ kind: 'import' }))}
        />
      </Sidebar>
      {main}
      <StatusBar engine={engineStatus} selection={selection} reachable={reachable} onOpenPalette={() => setDialog({ kind: 'palette' })}>
        <DeployStatus run={ws.deployRun} name={w?.name ?? null} summary={summary} />
      </StatusBar>
      <StoreProblemsNotice />
      {dialog?.kind === 'new' && selection && (
        <NewFunctionDialog
          initial={dialog.template}
          existing={[...deployedNames, ...draftNames]}
          namespace={selection.namespace}
          onClose={() => setDialog(null)}
          onCreate={async (spec) => {
            await ws.create(spec);
            drafts.refresh();
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'import' && selection && (
        <ImportDialog
          namespace={selection.namespace}
          existing={[...deployedNames, ...draftNames]}
          onClose={() => setDialog(null)}
          onOpen={async (spec) => {
            await ws.create(spec);
            drafts.refresh();
          }}
        />
      )}
      {dialog?.kind === 'export' && w && selection && <ExportDialog name={w.name} namespace={selection.namespace} format={dialog.format} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'delete' && w && selection && (
        <ConfirmDeleteDialog
          name={w.name}
          namespace={selection.namespace}
          onCancel={() => setDialog(null)}
          onDelete={async () => {
            await ws.remove();
            drafts.refresh();
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'settings' && <SettingsDialog settings={settings} onSave={updateSettings} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'palette' && <CommandPalette commands={commands} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'replace-rollback' && w && (
        <ConfirmDialog
          title="Replace the rollback?"
          confirm="Deploy and replace the rollback"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void deployNow();
          }}
        >
          <p>
            Revision {dialog.serving} of <strong>{w.name}</strong> serves because it was rolled back from revision {dialog.from}. Deploying{' '}
            {match?.revision && match.revision === summary?.latestRevision
              ? `makes revision ${match.revision} serve again`
              : `makes a new revision ${(summary?.latestRevision ?? 0) + 1} serve`}{' '}
            and undoes the rollback.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'leave' && w && (
        <ConfirmLeaveDialog
          name={w.name}
          onCancel={() => setDialog(null)}
          onDiscard={() => {
            const then = dialog.then;
            setDialog(null);
            then();
          }}
          onSave={async () => {
            const then = dialog.then;
            setDialog(null);
            await save();
            then();
          }}
        />
      )}
    </div>
  );
}
