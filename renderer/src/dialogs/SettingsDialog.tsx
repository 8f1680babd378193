import { useState } from 'react';
import { Settings, type FuncdeckError } from '../../../shared/contract';
import { describeIssues } from '../../../shared/contract';
import { Modal } from './Modal';

/** App settings (settings.get/update): runtime images, default namespace, revisions to keep, theme. */
export function SettingsDialog({ settings, onSave, onClose }: { settings: Settings; onSave(s: Partial<Settings>): Promise<FuncdeckError | null>; onClose(): void }) {
  const [draft, setDraft] = useState<Settings>(settings);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const checked = Settings.safeParse(draft);
    if (!checked.success) return setProblems(describeIssues(checked.error));
    setSaving(true);
    const err = await onSave(checked.data);
    setSaving(false);
    if (err) setProblems([err.message]);
    else onClose();
  };
  return (
    <Modal title="Settings" onClose={onClose} wide>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>Runtime images</legend>
          <div className="form-row">
            <label htmlFor="img-node">Node.js image</label>
            <input id="img-node" value={draft.runtimeImages.nodejs ?? ''} onChange={(e) => setDraft({ ...draft, runtimeImages: { ...draft.runtimeImages, nodejs: e.target.value } })} />
            <label htmlFor="img-python">Python image</label>
            <input id="img-python" value={draft.runtimeImages.python ?? ''} onChange={(e) => setDraft({ ...draft, runtimeImages: { ...draft.runtimeImages, python: e.target.value } })} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Cluster</legend>
          <div className="form-row">
            <label htmlFor="def-ns">Default namespace</label>
            <input id="def-ns" value={draft.defaultNamespace} onChange={(e) => setDraft({ ...draft, defaultNamespace: e.target.value })} />
            <label htmlFor="keep">Revisions to keep</label>
            <input id="keep" type="number" min={1} max={100} value={draft.revisionsToKeep} onChange={(e) => setDraft({ ...draft, revisionsToKeep: Number(e.target.value) })} />
          </div>
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
        {problems.length > 0 && (
          <ul className="issue-list" role="alert">
            {problems.map((p) => (
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
