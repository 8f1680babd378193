import type { KubeContext } from '../../../shared/contract';
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
    { id: 'delete', title: 'Delete function', run: d.onDelete, disabledReason: noFn },
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
    { id: 'settings', title: 'Open settings', run: d.onSettings },
    { id: 'recheck', title: 'Check cluster reachability again', run: d.onRecheck },
    { id: 'theme-system', title: 'Theme: follow the system', run: () => d.onTheme('system') },
    { id: 'theme-dark', title: 'Theme: dark', run: () => d.onTheme('dark') },
    { id: 'theme-light', title: 'Theme: light', run: () => d.onTheme('light') },
    ...d.contexts.map((c) => ({ id: `ctx-${c.name}`, title: `Switch context: ${c.name}`, run: () => d.onContext(c) })),
    ...d.functions.map((f) => ({ id: `open-${f}`, title: `Open function: ${f}`, run: () => d.onOpen(f) })),
  ];
}
