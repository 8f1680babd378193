import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterSelection } from '../../../shared/contract';
import type { FunctionRef, InvokeForm, WorkbenchPlace } from '../../../shared/contract/workbench';
import type { PanelTab } from '../panels/BottomPanel';
import { usePlace } from '../workspace/usePlace';
import type { useWorkspace } from '../workspace/useWorkspace';

const DEFAULT_PANEL_HEIGHT = 300;
const RECENT_KEPT = 10;

export interface KeptPlace {
  /** The open function's editor tab to start on, and where its changes go. */
  fileTab: string | null;
  setFileTab(tab: string): void;
  /** The invoke form kept for a function (null for a fresh one). */
  invokeFormFor(name: string): InvokeForm | null;
  setInvokeForm(name: string, form: InvokeForm): void;
  panelHeight: number;
  setPanelHeight(h: number): void;
  /** Functions opened in this context, newest first. */
  recent: Array<FunctionRef & { openedAt: string }>;
  /** The namespace last used in `context` (for switching to it); null when none is kept. */
  namespaceOf(context: string): Promise<string | null>;
  /** Sends the kept place now (before leaving this context). */
  flush(): void;
}

/**
 * Keeps the selected context's place (namespace, open function with its unsaved text, editor and
 * panel tabs, invoke form, panel height) and puts it back when the context is selected again, after a
 * reload or after an app restart. Restoring happens once per context; only then is the place saved, so
 * a half-restored workbench never overwrites what was kept.
 */
export function useKeptPlace(selection: ClusterSelection | null, ws: ReturnType<typeof useWorkspace>, tab: PanelTab, setTab: (t: PanelTab) => void): KeptPlace {
  const places = usePlace(selection?.context ?? null);
  const [fileTab, setFileTab] = useState<string | null>(null);
  const [invoke, setInvoke] = useState<WorkbenchPlace['invoke']>(null);
  const [recent, setRecent] = useState<KeptPlace['recent']>([]);
  const [ready, setReady] = useState<string | null>(null);
  const restoredContext = useRef<string | null>(null);
  const key = selection ? `${selection.context}/${selection.namespace}` : null;
  const w = ws.workspace;

  // Put the kept place back: once per context (the namespace came with the selection).
  useEffect(() => {
    if (!selection || places.place === undefined || ready === key) return;
    if (restoredContext.current === selection.context) {
      // Another namespace of the same context: nothing of the old one stays open.
      setReady(key);
      return;
    }
    restoredContext.current = selection.context;
    const p = places.place;
    setRecent(p?.recent ?? []);
    setInvoke(p?.invoke ?? null);
    if (p) setTab(p.panelTab);
    const open = p?.open && p.open.namespace === selection.namespace ? p.open : null;
    setFileTab(open ? p!.fileTab : null);
    if (!open) {
      setReady(key);
      return;
    }
    const unsaved = p!.unsaved && p!.unsaved.namespace === open.namespace && p!.unsaved.name === open.name ? p!.unsaved.spec : undefined;
    void ws.open(open.name, { unsaved }).finally(() => setReady(key));
    // Runs when the selection or its loaded place changes; the rest is read as it is then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, places.place, ready]);

  // A function opened here goes to the front of the recent list.
  const openName = w?.name ?? null;
  useEffect(() => {
    if (!selection || !openName || ready !== key) return;
    setRecent((r) => [{ namespace: selection.namespace, name: openName, openedAt: new Date().toISOString() }, ...r.filter((x) => !(x.name === openName && x.namespace === selection.namespace))].slice(0, RECENT_KEPT));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openName, ready]);

  // Keep every change (sent shortly after; the engine writes it to disk).
  const dirtySpec = w?.dirty ? w.spec : null;
  useEffect(() => {
    if (!selection || ready !== key) return;
    const ns = selection.namespace;
    places.keep(selection.context, {
      namespace: ns,
      open: w ? { namespace: ns, name: w.name } : null,
      fileTab: w ? fileTab : null,
      panelTab: tab,
      unsaved: w && dirtySpec ? { namespace: ns, name: w.name, spec: dirtySpec } : null,
      invoke,
      recent,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, key, openName, dirtySpec, fileTab, tab, invoke, recent]);

  const invokeFormFor = useCallback(
    (name: string) => (invoke && selection && invoke.name === name && invoke.namespace === selection.namespace ? invoke.form : null),
    [invoke, selection],
  );
  const setInvokeForm = useCallback(
    (name: string, form: InvokeForm) => selection && setInvoke({ namespace: selection.namespace, name, form }),
    [selection],
  );
  const namespaceOf = useCallback(async (context: string) => (await places.read(context))?.namespace ?? null, [places]);

  return {
    fileTab,
    setFileTab,
    invokeFormFor,
    setInvokeForm,
    panelHeight: places.layout?.panelHeight ?? DEFAULT_PANEL_HEIGHT,
    setPanelHeight: (h) => places.keepLayout({ panelHeight: h }),
    recent,
    namespaceOf,
    flush: places.flush,
  };
}
