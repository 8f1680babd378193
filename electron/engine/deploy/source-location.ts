import { FuncdeckError } from '../../../shared/contract/errors';
import type { FunctionSpec } from '../../../shared/contract/functions';

/** Line and column (1-based, in UTF-16 units like the editor) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/**
 * An INVALID_SPEC about a field of the revision ConfigMap (`data.file-<i>`, see manifests.ts) turned
 * into one that names the source file and line, as the editor shows it. Other errors pass unchanged.
 */
export function locateInSources(e: unknown, spec: Pick<FunctionSpec, 'files'>): unknown {
  if (!(e instanceof FuncdeckError) || e.code !== 'INVALID_SPEC') return e;
  const d = e.details as { field?: unknown; offset?: unknown } | undefined;
  const m = typeof d?.field === 'string' ? /^data\.file-(\d+)$/.exec(d.field) : null;
  const file = m ? spec.files[Number(m[1])] : undefined;
  if (!file || typeof d?.offset !== 'number') return e;
  const { line, column } = lineAndColumn(file.content, d.offset);
  const message = `${file.path}:${line}:${column} contains a lone UTF-16 surrogate, which is not valid Unicode text and cannot be stored in the cluster. Nothing was deployed; remove or replace that character.`;
  return new FuncdeckError('INVALID_SPEC', message, { issues: [{ path: `files.${m![1]}.content`, message }], file: file.path, line, column });
}
