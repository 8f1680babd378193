import { useEffect, useMemo, useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import { FunctionName, type FunctionSpecInput, type FunctionTemplate, type RuntimeInfo } from '../../../shared/contract/functions';
import { useEngine } from '../api/engine';
import { Modal } from './Modal';
import { LANGUAGE_LABEL } from '../workspace/spec-helpers';

export interface NewFunctionDialogProps {
  existing: string[];
  namespace: string;
  /** A template chosen beforehand (the start page). */
  initial?: FunctionTemplate;
  onCreate(spec: FunctionSpecInput): Promise<void>;
  onClose(): void;
}

/** New function: runtime, template (functions.templates) and a name checked as you type. */
export function NewFunctionDialog({ existing, namespace, initial, onCreate, onClose }: NewFunctionDialogProps) {
  const engine = useEngine();
  const [runtimes, setRuntimes] = useState<RuntimeInfo[]>([]);
  const [templates, setTemplates] = useState<FunctionTemplate[] | null>(null);
  const [runtime, setRuntime] = useState<'nodejs' | 'python'>(initial?.runtime ?? 'nodejs');
  const [templateId, setTemplateId] = useState<string>(initial?.id ?? '');
  const [language, setLanguage] = useState<string>(initial?.language ?? '');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<FuncdeckError | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    engine.call('functions.runtimes', {}).then(setRuntimes, () => undefined);
    engine.call('functions.templates', {}).then(setTemplates, (e: FuncdeckError) => setError(e));
  }, [engine]);

  const ofRuntime = useMemo(() => (templates ?? []).filter((t) => t.runtime === runtime), [templates, runtime]);
  const languages = [...new Set(ofRuntime.map((t) => t.language))];
  const lang = languages.includes(language as never) ? language : (languages[0] ?? '');
  const forRuntime = ofRuntime.filter((t) => t.language === lang);
  const template = forRuntime.find((t) => t.id === templateId) ?? forRuntime[0];

  const nameCheck = FunctionName.safeParse(name);
  const nameError = !nameCheck.success ? nameCheck.error.issues[0]?.message : existing.includes(name) ? `"${name}" already exists in ${namespace}; pick another name.` : null;

  const submit = async () => {
    setTouched(true);
    if (nameError || !template) return;
    setCreating(true);
    try {
      await onCreate({
        name,
        runtime: template.runtime,
        language: template.language,
        handler: template.handler,
        files: template.files,
        dependencies: template.dependencies,
      });
    } catch (e) {
      setError(e as FuncdeckError);
      setCreating(false);
    }
  };

  const runtimeOptions = runtimes.length ? runtimes.map((r) => ({ id: r.id, label: r.label })) : [
    { id: 'nodejs' as const, label: 'Node.js' },
    { id: 'python' as const, label: 'Python' },
  ];

  return (
    <Modal title="New function" onClose={onClose} wide>
      <form
        className="new-fn-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="choice-group">
          <legend>Runtime</legend>
          {runtimeOptions.map((r) => (
            <label key={r.id} className="choice">
              <input type="radio" name="runtime" value={r.id} checked={runtime === r.id} onChange={() => (setRuntime(r.id), setTemplateId(''), setLanguage(''))} />
              {r.label}
            </label>
          ))}
        </fieldset>
        {languages.length > 1 && (
          <fieldset className="choice-group">
            <legend>Language</legend>
            {languages.map((l) => (
              <label key={l} className="choice">
                <input type="radio" name="language" value={l} checked={lang === l} onChange={() => (setLanguage(l), setTemplateId(''))} />
                {LANGUAGE_LABEL[l]}
              </label>
            ))}
          </fieldset>
        )}
        <fieldset className="choice-group">
          <legend>Template</legend>
          {templates === null && !error && <p className="muted">Loading templates…</p>}
          {forRuntime.map((t) => (
            <label key={t.id} className="choice template-choice">
              <input type="radio" name="template" value={t.id} checked={template?.id === t.id} onChange={() => setTemplateId(t.id)} />
              <span>
                <strong>{t.title}</strong>
                <span className="muted"> — {t.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label htmlFor="new-fn-name" className="field-label">
          Name
        </label>
        <input
          id="new-fn-name"
          data-autofocus
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (e.target.value) setTouched(true);
          }}
          onBlur={() => setTouched(true)}
          aria-invalid={touched && !!nameError}
          aria-describedby="new-fn-name-help"
          placeholder="hello-world"
          spellCheck={false}
        />
        <p id="new-fn-name-help" className={touched && nameError ? 'field-error' : 'muted'} role={touched && nameError ? 'alert' : undefined}>
          {touched && nameError ? nameError : `Lowercase letters, digits and "-"; it becomes the Kubernetes name in ${namespace}.`}
        </p>
        {error && (
          <p className="error-text" role="alert">
            {error.message}
          </p>
        )}
        <div className="modal-actions">
          <button type="submit" className="primary" disabled={creating || !template}>
            {creating ? 'Creating…' : 'Create'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
