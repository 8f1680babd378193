import { lazy, Suspense } from 'react';
import type { MonacoEditorProps } from './MonacoEditor';
import type { MonacoDiffProps } from './MonacoDiff';

// Monaco is a few MB: these chunks load on first use, never with the first paint.
const MonacoEditorChunk = lazy(() => import('./MonacoEditor'));
const MonacoDiffChunk = lazy(() => import('./MonacoDiff'));

function Loading() {
  return (
    <div className="editor-loading" role="status">
      Loading editor…
    </div>
  );
}

export function CodeEditor(props: MonacoEditorProps) {
  return (
    <Suspense fallback={<Loading />}>
      <MonacoEditorChunk {...props} />
    </Suspense>
  );
}

export function DiffEditor(props: MonacoDiffProps) {
  return (
    <Suspense fallback={<Loading />}>
      <MonacoDiffChunk {...props} />
    </Suspense>
  );
}
