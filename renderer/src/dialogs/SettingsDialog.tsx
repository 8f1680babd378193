import { useEffect, useState } from 'react';
import { Settings, type FuncdeckError, type RuntimeId, type RuntimeImageChoice, type RuntimeImagesView } from '../../../shared/contract';
import { useEngine } from '../api/engine';
import { Modal } from './Modal';

const RUNTIME_LABEL: Record<RuntimeId, string> = { nodejs: 'Node.js', python: 'Python' };
const ENV_NAME: Record<RuntimeId, string> = { nodejs: 'FUNCDECK_IMAGE_NODE', python: 'FUNCDECK_IMAGE_PYTHON' };

/** Form state: text as typed, so a half-typed number is shown (and explained) rather than lost. */
interface Draft {
  defaultImages: Record<RuntimeId, string>;
  contextImages: Record<RuntimeId, string>;
  defaultNamespace: string;
  revisionsToKeep: string;
  theme: Settings['theme'];
  typeErrorsBlockDeploy: boolean;
}

/** Why the selected context uses the image it does, in words. */
function usesWhat(c: RuntimeImageChoice, typed: string): string {
  if (c.source === 'environment') return `Uses ${c.image}: ${ENV_NAME[c.runtime]} is set in Funcdeck's environment and wins over Settings.`;
  if (typed.trim()) return typed.trim() === c.set ? `Uses ${c.set}, set for this context.` : `Will use ${typed.trim()} once saved.`;
  if (c.detected) return `Uses ${c.detected}, detected on this cluster.`;
  return `Uses the default, ${c.default}: nothing was detected on this cluster.`;
}

/** App settings: the selected context's runtime images (detected, or set here), the defaults, namespace, revisions, theme. */
export function SettingsDialog({ settings, onSave, onClose }: { settings: Settings; onSave(s: Partial<Settings>): Promise<FuncdeckError | null>; onClose(): void }) {
  const engine = useEngine();
  const [view, setView] = useState<RuntimeImagesView | null>(null);
  const [viewError, setViewError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({
    defaultImages: { ...settings.defaultImages },
    contextImages: { nodejs: '', python: '' },
    defaultNamespace: settings.defaultNamespace,
    revisionsToKeep: String(settings.revisionsToKeep),
    theme: settings.theme,
    typeErrorsBlockDeploy: settings.typeErrorsBlockDeploy,
  });
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [other, setOther] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    engine.call('settings.images', {}).then(
      (v) => {
        if (!live) return;
        setView(v);
        const set = v.context ? (settings.contextImages[v.context] ?? {}) : {};
        setDraft((d) => ({ ...d, contextImages: { nodejs: set.nodejs ?? '', python: set.python ?? '' } }));
      },
      (e: FuncdeckError) => live && setViewError(e.message),
    );
    return () => {
      live = false;
    };
  }, [engine, settings.contextImages]);

  const context = view?.context ?? null;

  const showIssues = (issues: Array<{ path: string; message: string }>) => {
    const byField = new Map<string, string>();
    const rest: string[] = [];
    for (const i of issues) {
      const key = i.path.startsWith('contextImages.') ? `contextImages.${i.path.split('.').pop()}` : i.path;
      if (FIELD_IDS[key]) byField.set(key, i.message);
      else rest.push(i.path ? `${i.path}: ${i.message}` : i.message);
    }
    setErrors(byField);
    setOther(rest);
    // Take the person to the first field to fix.
    const first = Object.keys(FIELD_IDS).find((k) => byField.has(k));
    if (first) requestAnimationFrame(() => document.getElementById(FIELD_IDS[first]!)?.focus());
  };

  const submit = async () => {
    const mine = Object.fromEntries(Object.entries(draft.contextImages).filter(([, v]) => v.trim() !== ''));
    const contextImages = { ...settings.contextImages };
    if (context) {
      if (Object.keys(mine).length) contextImages[context] = mine;
      else delete contextImages[context];
    }
    const next = {
      defaultImages: draft.defaultImages,
      contextImages,
      defaultNamespace: draft.defaultNamespace,
      revisionsToKeep: draft.revisionsToKeep.trim() === '' ? Number.NaN : Number(draft.revisionsToKeep),
      theme: draft.theme,
      imagePlatforms: settings.imagePlatforms,
      typeErrorsBlockDeploy: draft.typeErrorsBlockDeploy,
    };
    const checked = Settings.safeParse(next);
    if (!checked.success) return showIssues(checked.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    setSaving(true);
    const err = await onSave(checked.data);
    setSaving(false);
    if (!err) return onClose();
    const issues = (err.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
    if (issues?.length) showIssues(issues);
    else showIssues([{ path: '', message: err.message }]);
  };

  const field = (key: string) => {
    const message = errors.get(key);
    const id = `err-${FIELD_IDS[key]}`;
    return {
      input: { id: FIELD_IDS[key], 'aria-invalid': message ? true : undefined, 'aria-describedby': message ? id : undefined },
      error: message ? (
        <span className="field-error" id={id}>
          {message}
        </span>
      ) : null,
    };
  };

  return (
    <Modal title="Settings" onClose={onClose} wide>
      <form
        className="settings-form"
        aria-label="Settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>{context ? `Runtime images for context ${context}` : 'Runtime images for this context'}</legend>
          {viewError && <p className="field-error">{viewError}</p>}
          {!view && !viewError && <p className="muted">Looking at the cluster…</p>}
          {view && !context && <p className="muted">No context is selected. Pick one in the sidebar to choose its images; the defaults below apply until then.</p>}
          {view && context && (
            <>
              <p className="muted settings-note">{view.detection}</p>
              {view.runtimes.map((c) => {
                const f = field(`contextImages.${c.runtime}`);
                const typed = draft.contextImages[c.runtime];
                const noteId = `note-ctx-${c.runtime}`;
                return (
                  <div className="form-row" key={c.runtime}>
                    <label htmlFor={f.input.id}>{RUNTIME_LABEL[c.runtime]} image</label>
                    <div className="image-field">
                      <input
                        {...f.input}
                        aria-describedby={[noteId, f.input['aria-describedby']].filter(Boolean).join(' ')}
                        value={typed}
                        placeholder={c.detected ?? c.default}
                        spellCheck={false}
                        onChange={(e) => setDraft({ ...draft, contextImages: { ...draft.contextImages, [c.runtime]: e.target.value } })}
                      />
                      <button
                        type="button"
                        disabled={!typed}
                        aria-label={`Use the ${c.detected ? 'detected' : 'default'} ${RUNTIME_LABEL[c.runtime]} image`}
                        onClick={() => setDraft({ ...draft, contextImages: { ...draft.contextImages, [c.runtime]: '' } })}
                      >
                        {c.detected ? 'Use detected' : 'Use default'}
                      </button>
                    </div>
                    <span className="field-note muted" id={noteId}>
                      {usesWhat(c, typed)}
                    </span>
                    {f.error}
                  </div>
                );
              })}
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>Default images</legend>
          <p className="muted settings-note">For contexts where nothing is detected or set, such as kind and minikube.</p>
          {(['nodejs', 'python'] as const).map((runtime) => {
            const f = field(`defaultImages.${runtime}`);
            return (
              <div className="form-row" key={runtime}>
                <label htmlFor={f.input.id}>Default {RUNTIME_LABEL[runtime]} image</label>
                <input
                  {...f.input}
                  value={draft.defaultImages[runtime]}
                  spellCheck={false}
                  onChange={(e) => setDraft({ ...draft, defaultImages: { ...draft.defaultImages, [runtime]: e.target.value } })}
                />
                {f.error}
              </div>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>Cluster</legend>
          <div className="form-row">
            <label htmlFor="def-ns">Default namespace</label>
            <input {...field('defaultNamespace').input} value={draft.defaultNamespace} onChange={(e) => setDraft({ ...draft, defaultNamespace: e.target.value })} />
            {field('defaultNamespace').error}
            <label htmlFor="keep">Revisions to keep</label>
            <input {...field('revisionsToKeep').input} inputMode="numeric" value={draft.revisionsToKeep} onChange={(e) => setDraft({ ...draft, revisionsToKeep: e.target.value })} />
            {field('revisionsToKeep').error}
          </div>
        </fieldset>
        <fieldset>
          <legend>Build</legend>
          <label className="choice">
            <input type="checkbox" checked={draft.typeErrorsBlockDeploy} onChange={(e) => setDraft({ ...draft, typeErrorsBlockDeploy: e.target.checked })} />
            TypeScript type errors stop a deploy (otherwise they are warnings)
          </label>
        </fieldset>
        <fieldset>
          <legend>Appearance</legend>
          <div className="form-row">
            <label htmlFor="theme">Theme</label>
            <select id="theme" value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}>
              <option value="system">Follow the system</option>
              <option value="dark">Dark</option>
              <option value="light">Light</option>
            </select>
          </div>
        </fieldset>
        {other.length > 0 && (
          <ul className="issue-list" role="alert">
            {other.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className="modal-actions">
          <button type="submit" className="primary" disabled={saving}>
            Save settings
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Input ids per settings field path (the selected context's images share one key per runtime). */
const FIELD_IDS: Record<string, string> = {
  'contextImages.nodejs': 'img-ctx-nodejs',
  'contextImages.python': 'img-ctx-python',
  'defaultImages.nodejs': 'img-default-nodejs',
  'defaultImages.python': 'img-default-python',
  defaultNamespace: 'def-ns',
  revisionsToKeep: 'keep',
};
