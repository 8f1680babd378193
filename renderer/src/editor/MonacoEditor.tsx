import { useEffect, useRef } from 'react';
import { monaco, setMonacoTheme, toMarkers, type MarkerInput } from './monaco';
import './editor.css';

export interface MonacoEditorProps {
  /**
   * Identifies the model (one per open file); switching it swaps models and keeps each one's undo stack.
   * To replace the text from outside (a draft loaded, a template applied), use a new path.
   */
  path: string;
  /** The text a new model starts with. */
  value: string;
  language: string;
  theme: 'dark' | 'light';
  onChange?(value: string): void;
  markers?: MarkerInput[];
  readOnly?: boolean;
  /** Accessible name of the text area. */
  label: string;
  /** Ask the editor to move the cursor here (1-based), e.g. after clicking a diagnostic. */
  reveal?: { line: number; column: number; nonce: number } | null;
}

const GENERATION = /^(.*)\/g(\d+)\//;

/** Models of older generations of the same thing (`fn/<name>/g<N>/...`) are dropped when a new one starts. */
function disposeOlderGenerations(path: string) {
  const m = GENERATION.exec(path);
  if (!m) return;
  for (const model of monaco.editor.getModels()) {
    const other = GENERATION.exec(model.uri.path.replace(/^\//, ''));
    if (other && other[1] === m[1] && other[2] !== m[2]) model.dispose();
  }
}

function modelFor(path: string, value: string, language: string) {
  const uri = monaco.Uri.parse(`inmemory://funcdeck/${path}`);
  const existing = monaco.editor.getModel(uri);
  if (existing) {
    if (existing.getLanguageId() !== language) monaco.editor.setModelLanguage(existing, language);
    return existing;
  }
  disposeOlderGenerations(path);
  return monaco.editor.createModel(value, language, uri);
}

/** A Monaco code editor bound to one model per path. Loaded lazily (see LazyEditors.tsx). */
export default function MonacoEditor(props: MonacoEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      ariaLabel: props.label,
      readOnly: props.readOnly ?? false,
      fixedOverflowWidgets: true,
      // Unused code is marked by a squiggle and its hover, not by fading it below readable contrast.
      showUnused: false,
      // The last line's number in full colour too (dimmed it was 1.8:1).
      renderFinalNewline: 'on',
    });
    editor.current = ed;
    const sub = ed.onDidChangeModelContent(() => {
      onChange.current?.(ed.getValue());
    });
    return () => {
      sub.dispose();
      ed.dispose();
      editor.current = null;
    };
    // Created once; the props are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => setMonacoTheme(props.theme), [props.theme]);

  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    const model = modelFor(props.path, props.value, props.language);
    if (ed.getModel() !== model) ed.setModel(model);
    ed.updateOptions({ ariaLabel: props.label, readOnly: props.readOnly ?? false });
    // `value` seeds a new model only; typing owns the model afterwards (no stale-prop races).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.path, props.language, props.label, props.readOnly]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, 'funcdeck', toMarkers(props.markers ?? [], model));
  }, [props.markers, props.path]);

  useEffect(() => {
    const ed = editor.current;
    if (!ed || !props.reveal) return;
    ed.setPosition({ lineNumber: props.reveal.line, column: props.reveal.column });
    ed.revealLineInCenter(props.reveal.line);
    ed.focus();
  }, [props.reveal]);

  return <div className="monaco-host" ref={host} data-testid={`editor-${props.path}`} />;
}
