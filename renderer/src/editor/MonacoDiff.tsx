import { useEffect, useRef } from 'react';
import { monaco, setMonacoTheme } from './monaco';
import './editor.css';

export interface MonacoDiffProps {
  original: string;
  modified: string;
  language: string;
  theme: 'dark' | 'light';
  label: string;
  /** Names of the two sides' text boxes, e.g. "handler.js in revision 1 (older)"; fixed at creation (remount to change). */
  originalLabel: string;
  modifiedLabel: string;
}

/** A read-only side-by-side diff of two texts (revisions' sources). Loaded lazily. */
export default function MonacoDiff(props: MonacoDiffProps) {
  const host = useRef<HTMLDivElement>(null);
  const diff = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.createDiffEditor(host.current, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      minimap: { enabled: false },
      renderSideBySide: true,
      scrollBeyondLastLine: false,
      ariaLabel: props.label,
      // As in the editor: unused code is not faded below readable contrast.
      showUnused: false,
      // The last line's number in full colour too (dimmed it was 1.8:1).
      renderFinalNewline: 'on',
    });
    // Name each side's text box (the construction options' originalAriaLabel/modifiedAriaLabel do not reach them).
    ed.getOriginalEditor().updateOptions({ ariaLabel: props.originalLabel });
    ed.getModifiedEditor().updateOptions({ ariaLabel: props.modifiedLabel });
    diff.current = ed;
    return () => {
      const models = ed.getModel();
      ed.dispose();
      models?.original.dispose();
      models?.modified.dispose();
      diff.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => setMonacoTheme(props.theme), [props.theme]);


  useEffect(() => {
    const ed = diff.current;
    if (!ed) return;
    const old = ed.getModel();
    ed.setModel({
      original: monaco.editor.createModel(props.original, props.language),
      modified: monaco.editor.createModel(props.modified, props.language),
    });
    old?.original.dispose();
    old?.modified.dispose();
  }, [props.original, props.modified, props.language]);

  return <div className="monaco-host" ref={host} />;
}
