import { useState } from 'react';
import { CodeEditor } from './LazyEditors';

/** A plain editor for notes or payloads while no function is open. Kept in memory only, and says so. */
export function ScratchEditor({ theme }: { theme: 'dark' | 'light' }) {
  const [text, setText] = useState('// Scratch pad: not saved anywhere.\n// Open a function in the sidebar, or create one with "New function".\n');
  return (
    <div className="editor-frame">
      <div className="file-tabs" role="tablist" aria-label="Open files">
        <span role="tab" aria-selected="true" className="file-tab active">
          Scratch <span className="muted">(not saved)</span>
        </span>
      </div>
      <div className="editor-body">
        <CodeEditor path="scratch/notes.js" value={text} onChange={setText} language="javascript" theme={theme} label="Scratch editor" />
      </div>
    </div>
  );
}
