import type { KubeContext, RevisionInfo } from '../../../shared/contract';
import type { Command } from '../commands/CommandPalette';
import { PANEL_TABS, type PanelTab } from '../panels/BottomPanel';

export interface CommandDeps {
  hasFunction: boolean;
  deployed: boolean;
  canCreate: boolean;
  contexts: KubeContext[];
  onNew(): void;
  onSave(): void;
  onDeploy(): void;
  onInvoke(): void;
  onTab(tab: PanelTab): void;
  onSettings(): void;
  onContext(c: KubeContext): void;
  onTheme(theme: 'system' | 'dark' | 'light'): void;
  onRecheck(): void;
  onDelete(): void;
  functions: string[];
  onOpen(name: string): void;
  onClose(): void;
  /** Namespaces of the selected context, and the selected one. */
  namespaces: string[];
  namespace: string | null;
  onNamespace(ns: string): void;
  /** Revisions of the open function (newest first), for rolling back. */
  revisions: RevisionInfo[];
  onRollback(revision: number): void;
  onImport?(): void;
  onExport?(format: 'manifests' | 'knative'): void;
}

/** Every action of the app, for the command palette. */
export function buildCommands(d: CommandDeps): Command[] {
  const noFn = d.hasFunction ? null : 'open a function first';
  return [
    { id: 'new', title: 'New function', run: d.onNew, disabledReason: d.canCreate ? null : 'select a context first' },
    { id: 'save', title: 'Save draft', shortcut: 'Ctrl+S', run: d.onSave, disabledReason: noFn },
    { id: 'deploy', title: 'Deploy function', shortcut: 'Ctrl+Enter', run: d.onDeploy, disabledReason: noFn },
    { id: 'invoke', title: 'Invoke function', shortcut: 'Ctrl+Shift+Enter', run: d.onInvoke, disabledReason: noFn ?? (d.deployed ? null : 'deploy it first') },
    { id: 'close', title: 'Close function', run: d.onClose, disabledReason: noFn },
    { id: 'delete', title: 'Delete function', run: d.onDelete, disabledReason: noFn },
    // No traffic view of its own yet: the Revisions tab shows each revision's share and rolls back.
    { id: 'traffic', title: 'Show traffic (revisions and their share)', run: () => d.onTab('revisions'), disabledReason: noFn ?? (d.deployed ? null : 'deploy it first') },
    ...d.revisions
      .filter((r) => !r.serving)
      .map((r) => ({
        id: `rollback-${r.number}`,
        title: `Roll back to revision ${r.number}`,
        run: () => d.onRollback(r.number),
        disabledReason: r.status === 'Failed' ? 'it failed; see the Revisions tab' : null,
      })),
    ...(d.onImport ? [{ id: 'import', title: 'Import kubeless functions…', run: d.onImport, disabledReason: d.canCreate ? null : 'select a context first' }] : []),
    ...(d.onExport
      ? (['manifests', 'knative'] as const).map((f) => ({
          id: `export-${f}`,
          title: f === 'manifests' ? 'Export as Kubernetes manifests…' : 'Export as Knative Service…',
          run: () => d.onExport!(f),
          disabledReason: noFn ?? (d.deployed ? null : 'deploy it first'),
        }))
      : []),
    ...PANEL_TABS.map((t) => ({ id: `tab-${t.id}`, title: `Show ${t.label}`, run: () => d.onTab(t.id) })),
    // Traffic lives in the Revisions panel: splits, tags, the canary plan, the gateway and its log.
    { id: 'traffic', title: 'Traffic: split, tags and canary (Revisions)', run: () => d.onTab('revisions'), disabledReason: noFn ?? (d.deployed ? null : 'deploy it first') },
    { id: 'settings', title: 'Open settings', run: d.onSettings },
    { id: 'recheck', title: 'Check cluster reachability again', run: d.onRecheck },
    { id: 'theme-system', title: 'Theme: follow the system', run: () => d.onTheme('system') },
    { id: 'theme-dark', title: 'Theme: dark', run: () => d.onTheme('dark') },
    { id: 'theme-light', title: 'Theme: light', run: () => d.onTheme('light') },
    ...d.contexts.map((c) => ({ id: `ctx-${c.name}`, title: `Switch context: ${c.name}`, run: () => d.onContext(c) })),
    ...d.namespaces.map((ns) => ({ id: `ns-${ns}`, title: `Switch namespace: ${ns}`, run: () => d.onNamespace(ns), disabledReason: ns === d.namespace ? 'the current one' : null })),
    ...d.functions.map((f) => ({ id: `open-${f}`, title: `Open function: ${f}`, run: () => d.onOpen(f) })),
  ];
}
