import { lazy, Suspense, useEffect, useState } from 'react';
import type { FunctionSpecInput, FunctionSummary } from '../../../shared/contract/functions';
import type { TextMatch } from '../../../shared/contract/revisions';
import { editorTextNote } from '../functions/serving';
import type { Workspace } from '../workspace/useWorkspace';
import { DEPENDENCY_FILE, LANGUAGE_LABEL, diagnosticsFor, monacoLanguageFor } from '../workspace/spec-helpers';
import { plural } from '../../../shared/plural';
import { clockTime } from '../format/time';
import { CodeEditor } from './LazyEditors';
import { LiveBar } from '../live/LiveBar';
import { useLive } from '../live/useLive';
import { PackagesNote } from './PackagesNote';
import { usePackageTypes } from './usePackageTypes';
import './editor.css';

export interface FunctionEditorProps {
  workspace: Workspace;
  theme: 'dark' | 'light';
  busy: 'saving' | 'deploying' | null;
  onEdit(update: (spec: FunctionSpecInput) => FunctionSpecInput): void;
  onReplace(spec: FunctionSpecInput): void;
  onSave(): void;
  onDeploy(): void;
  onDelete(): void;
  /** Export the deployed function as YAML (absent while it is not deployed). */
  onExport?: (() => void) | undefined;
  /** Go to a place in a file (a build problem clicked in the Deploy tab). */
  reveal?: { file: string; line: number; column: number; nonce: number } | null;
  /** The tab to open on (kept across reloads), and where the active tab is reported. */
  fileTab?: string | null;
  onFileTab?(tab: string): void;
  /** The function's state from the engine (functions.watch); null when not deployed. */
  summary: FunctionSummary | null;
  /** Which revision the editor's text is. */
  match: TextMatch | null;
  onOpenServing(): void;
}

const SETTINGS_TAB = '\u0000settings';
// The settings form and its YAML view (the yaml library) load when first opened.
const SettingsTab = lazy(() => import('./SettingsTab').then((m) => ({ default: m.SettingsTab })));

/** The open function: a tab per source file, one for the dependency manifest, and its settings. */
export function FunctionEditor(props: FunctionEditorProps) {
  const { workspace, theme, busy, onEdit, onReplace, onSave, onDeploy, onDelete, onExport, reveal, fileTab, onFileTab, summary, match, onOpenServing } = props;
  const { spec, name, generation } = workspace;
  const depFile = DEPENDENCY_FILE[spec.runtime];
  const tabs = [...spec.files.map((f) => f.path), depFile, SETTINGS_TAB];
  const startTab = () => (fileTab && tabs.includes(fileTab) ? fileTab : (spec.files[0]?.path ?? SETTINGS_TAB));
  const [active, setActive] = useState<string>(startTab);
  useEffect(() => setActive(startTab()), [name]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (reveal && tabs.includes(reveal.file)) setActive(reveal.file);
  }, [reveal]); // eslint-disable-line react-hooks/exhaustive-deps
  const current = tabs.includes(active) ? active : tabs[0]!;
  useEffect(() => onFileTab?.(current), [current]); // eslint-disable-line react-hooks/exhaustive-deps
  // Asked again after each deploy (busy back to null) or install: both install the packages.
  const [installs, setInstalls] = useState(0);
  const packages = usePackageTypes(spec, `${busy}/${installs}`);
  const live = useLive(name, spec, workspace.deployed);
  const language = spec.language ?? (spec.runtime === 'python' ? 'python' : 'javascript');

  const setFile = (path: string, content: string) =>
    onEdit((s) => (path === depFile ? { ...s, dependencies: content } : { ...s, files: s.files.map((f) => (f.path === path ? { ...f, content } : f)) }));

  const file = spec.files.find((f) => f.path === current);
  const text = current === depFile ? (spec.dependencies ?? '') : (file?.content ?? '');
  const markers = diagnosticsFor(workspace.diagnostics, current);

  return (
    <div className="editor-frame">
      <div className="fn-toolbar">
        <h1 className="fn-title">
          {name}
          {workspace.dirty && (
            <span className="unsaved" title="Unsaved changes" aria-label="Unsaved changes">
              ●
            </span>
          )}
        </h1>
        <span className="muted">
          {spec.runtime} · {LANGUAGE_LABEL[language]}
          {workspace.hasDraft && workspace.draftSavedAt && ` · draft saved ${clockTime(workspace.draftSavedAt)}`}
        </span>
        <span className="grow" />
        <button type="button" onClick={onDelete} disabled={busy !== null}>
          Delete…
        </button>
        {onExport && (
          <button type="button" onClick={onExport}>
            Export…
          </button>
        )}
        {workspace.deployed && (
          <button
            type="button"
            className="live-toggle"
            aria-pressed={live.on}
            onClick={live.toggle}
            title={live.on ? 'Live: each save goes into the running pods. Click to give them the revision back.' : 'Live: push each save into the running pods, without a revision'}
          >
            Live
          </button>
        )}
        <button type="button" onClick={onSave} disabled={busy !== null} aria-keyshortcuts="Control+S" title="Save draft (Ctrl/Cmd+S)">
          {busy === 'saving' ? 'Saving…' : 'Save draft'}
        </button>
        <button type="button" className="primary" onClick={onDeploy} disabled={busy === 'deploying'} aria-keyshortcuts="Control+Enter" title="Deploy (Ctrl/Cmd+Enter)">
          {busy === 'deploying' ? 'Deploying…' : 'Deploy'}
        </button>
      </div>
      <div className="fn-state" role="group" aria-label="Function state">
        <span className={`fn-serving status-${summary?.status ?? 'none'}`} title={summary?.reason ?? undefined}>
          {summary ? summary.headline : workspace.deployed ? 'Reading its state…' : 'Not deployed yet'}
        </span>
        {summary && <span className={`fn-text-note text-${match?.relation ?? 'unknown'}`}>{editorTextNote(match, summary, workspace.deployed)}</span>}
        {live.status?.live && <span className="live-badge">Live-edited (not a revision)</span>}
        {summary && summary.servingRevision !== null && match && match.relation !== 'serving' && (
          <button type="button" className="small" onClick={onOpenServing} disabled={busy !== null}>
            Open serving revision
          </button>
        )}
      </div>
      <LiveBar live={live} />
      <PackagesNote spec={spec} packages={packages} onEdit={onEdit} onInstalled={() => setInstalls((n) => n + 1)} />
      <div className="file-tabs" role="tablist" aria-label="Function files">
        {tabs.map((t) => {
          const errors = t === SETTINGS_TAB ? workspace.issues.length : diagnosticsFor(workspace.diagnostics, t).length;
          return (
            <button
              key={t}
              type="button"
              role="tab"
              className="file-tab"
              aria-selected={t === current}
              onClick={() => setActive(t)}
            >
              {t === SETTINGS_TAB ? 'Settings' : t}
              {errors > 0 && (
                <span className="tab-errors" aria-label={plural(errors, 'problem')}>
                  {errors}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div className="editor-body" role="tabpanel">
        {current === SETTINGS_TAB ? (
          <Suspense fallback={<p className="panel-empty">Loading settings…</p>}>
            <SettingsTab workspace={workspace} theme={theme} onEdit={onEdit} onReplace={onReplace} />
          </Suspense>
        ) : (
          <CodeEditor
            key={current}
            path={`fn/${workspace.name}/g${generation}/${current}`}
            value={text}
            language={monacoLanguageFor(current)}
            theme={theme}
            label={`Editor for ${current}`}
            markers={markers}
            reveal={reveal && reveal.file === current ? reveal : null}
            onChange={(v) => setFile(current, v)}
          />
        )}
      </div>
    </div>
  );
}
