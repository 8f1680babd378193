import { useEffect, useRef, useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import type { ExportFormat, ExportResult } from '../../../shared/contract/interop';
import { useEngine } from '../api/engine';
import { Modal } from './Modal';
import './interop.css';

export interface ExportDialogProps {
  name: string;
  namespace: string;
  format: ExportFormat;
  onClose(): void;
}

const FORMAT_LABEL: Record<ExportFormat, string> = { manifests: 'Kubernetes manifests', knative: 'Knative Service' };

/** A deployed function as YAML to download or copy: the manifests Funcdeck applies, or a Knative Service. */
export function ExportDialog({ name, namespace, format: initial, onClose }: ExportDialogProps) {
  const engine = useEngine();
  const [format, setFormat] = useState<ExportFormat>(initial);
  const [target, setTarget] = useState(namespace);
  const [out, setOut] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let stale = false;
    const ns = target.trim();
    setStatus('');
    const t = setTimeout(() => {
      engine.call('interop.export', { name, format, ...(ns ? { namespace: ns } : {}) }).then(
        (r) => !stale && (setOut(r), setError(null)),
        (e: FuncdeckError) => !stale && (setOut(null), setError(e.message)),
      );
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [engine, name, format, target]);

  const download = () => {
    if (!out) return;
    const url = URL.createObjectURL(new Blob([out.text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = out.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus(`Saved as ${out.fileName}.`);
  };
  const copy = async () => {
    if (!out) return;
    try {
      await navigator.clipboard.writeText(out.text);
      setStatus('Copied to the clipboard.');
    } catch {
      // Without clipboard permission: select the text so Ctrl/Cmd+C copies it.
      textRef.current?.select();
      setStatus('Selected: press Ctrl/Cmd+C to copy.');
    }
  };

  return (
    <Modal title={`Export ${name}`} onClose={onClose} wide>
      <fieldset className="choice-group">
        <legend>As</legend>
        {(Object.keys(FORMAT_LABEL) as ExportFormat[]).map((f) => (
          <label key={f} className="choice">
            <input type="radio" name="export-format" checked={format === f} onChange={() => setFormat(f)} />
            {FORMAT_LABEL[f]}
          </label>
        ))}
      </fieldset>
      <div className="form-row">
        <label htmlFor="export-namespace">Namespace</label>
        <input id="export-namespace" value={target} spellCheck={false} onChange={(e) => setTarget(e.target.value)} />
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {out && (
        <>
          <ul className="note-list" aria-label="Export notes">
            {out.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          <textarea ref={textRef} className="export-text" aria-label={`Exported YAML (${FORMAT_LABEL[out.format]})`} readOnly spellCheck={false} value={out.text} />
        </>
      )}
      <p className="muted" role="status" aria-live="polite">
        {status}
      </p>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={download} disabled={!out}>
          Download {out?.fileName ?? ''}
        </button>
        <button type="button" onClick={() => void copy()} disabled={!out}>
          Copy
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
