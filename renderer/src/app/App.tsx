import { useState } from 'react';
import { useEngineStatus } from '../api/hooks';
import { useClusters } from '../clusters/useClusters';
import { ScratchEditor } from '../editor/ScratchEditor';
import { BottomPanel, type PanelTab } from '../panels/BottomPanel';
import { ClusterProblemScreen } from '../screens/ClusterProblemScreen';
import { NoClusterScreen } from '../screens/NoClusterScreen';
import { ContextPicker } from '../sidebar/ContextPicker';
import { FunctionList } from '../sidebar/FunctionList';
import { NamespacePicker } from '../sidebar/NamespacePicker';
import { Sidebar } from '../sidebar/Sidebar';
import { StatusBar } from '../status/StatusBar';
import { useFunctions } from '../functions/useFunctions';
import { useResolvedTheme } from './useTheme';
import { useSettings } from './useSettings';
import './app.css';

export function App() {
  const engineStatus = useEngineStatus();
  const { settings } = useSettings();
  const theme = useResolvedTheme(settings.theme);
  const clusters = useClusters(settings.defaultNamespace);
  const [tab, setTab] = useState<PanelTab>('invoke');
  const [panelHeight, setPanelHeight] = useState(260);
  const [, setPaletteOpen] = useState(false);
  const [offline, setOffline] = useState<string | null>(null);

  const { kubeconfig, selection, probes } = clusters;
  const probe = selection ? probes[selection.context] : undefined;
  const reachable = probe ? probe.reachable : null;
  const noContexts = kubeconfig !== null && kubeconfig.contexts.length === 0;
  const selectionKey = selection ? `${selection.context}/${selection.namespace}` : '';
  const fns = useFunctions(!!selection && reachable !== false, selectionKey);
  const blockingError = fns.error && ['FORBIDDEN', 'UNAUTHORIZED', 'CLUSTER_UNREACHABLE'].includes(fns.error.code) ? fns.error : null;

  let main;
  if (kubeconfig === null) {
    main = (
      <main className="screen muted" aria-busy="true">
        Reading kubeconfig…
      </main>
    );
  } else if (noContexts) {
    main = <NoClusterScreen kubeconfig={kubeconfig} onRetry={clusters.reload} />;
  } else if (selection && (reachable === false || blockingError) && offline !== selection.context) {
    main = (
      <ClusterProblemScreen
        context={selection.context}
        probe={probe}
        error={blockingError}
        onRetry={clusters.reload}
        onOffline={() => setOffline(selection.context)}
      />
    );
  } else {
    main = (
      <main className="workbench" aria-label="Editor">
        <div className="editor-area">
          <ScratchEditor theme={theme} />
        </div>
        <BottomPanel tab={tab} onTab={setTab} height={panelHeight} onHeight={setPanelHeight}>
          <p className="panel-empty">Open a function to invoke it, follow its logs, and see its revisions, metrics and events.</p>
        </BottomPanel>
      </main>
    );
  }

  return (
    <div className="app">
      <Sidebar onSettings={() => undefined}>
        {kubeconfig && kubeconfig.contexts.length > 0 && (
          <ContextPicker
            contexts={kubeconfig.contexts}
            current={kubeconfig.current}
            selected={selection?.context ?? null}
            probes={probes}
            disabled={clusters.selecting}
            onSelect={(c) => void clusters.select(c.name, c.namespace ?? settings.defaultNamespace)}
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
            reachable={reachable !== false}
            disabled={clusters.selecting}
            onSelect={(ns) => void clusters.select(selection.context, ns)}
          />
        )}
        {clusters.error && (
          <p className="side-note error-text side-section" role="alert">
            {clusters.error.message}
          </p>
        )}
        <FunctionList
          functions={fns.functions}
          draftOnly={[]}
          withDraft={new Set()}
          error={blockingError ? null : fns.error}
          open={null}
          disabled={!selection || reachable === false}
          onOpen={() => undefined}
          onNew={() => undefined}
        />
      </Sidebar>
      {main}
      <StatusBar engine={engineStatus} selection={selection} reachable={reachable} onOpenPalette={() => setPaletteOpen(true)} />
    </div>
  );
}
