import { useState } from 'react';
import { plural } from '../../../shared/plural';
import type { FuncdeckError } from '../../../shared/contract';
import type { EditorPackages } from '../../../shared/contract/deps';
import type { FunctionSpecInput } from '../../../shared/contract/functions';
import { useEngine } from '../api/engine';
import { lockfileOf, withLockfile } from '../workspace/spec-helpers';

/**
 * What the editor knows of the function's packages (installed on this computer or not), with a way
 * to install them without deploying, so completions and type checks see them. The lockfile the
 * install writes joins the function's files.
 */
export function PackagesNote({ spec, packages, onEdit, onInstalled }: { spec: FunctionSpecInput; packages: EditorPackages | null; onEdit(update: (s: FunctionSpecInput) => FunctionSpecInput): void; onInstalled(): void }) {
  const engine = useEngine();
  const [installing, setInstalling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!packages || packages.state === 'none') return null;
  const shipped = packages.packages.filter((p) => !p.dev);
  const install = async () => {
    setInstalling(true);
    setError(null);
    try {
      const r = await engine.call('deps.install', { runtime: spec.runtime, dependencies: spec.dependencies ?? '', lockfile: lockfileOf(spec)?.content ?? null, image: spec.image ?? null });
      if (lockfileOf(spec)?.content !== r.lockfile.content) onEdit((s) => withLockfile(s, r.lockfile));
      onInstalled();
    } catch (e) {
      setError((e as FuncdeckError).message);
    } finally {
      setInstalling(false);
    }
  };
  return (
    <div className="fn-packages" role="status" aria-label="Packages">
      {packages.state === 'installed' ? (
        <span>
          {plural(shipped.length, 'package')} installed on this computer
          {spec.runtime === 'nodejs' ? ` · types for the editor${packages.truncated ? ' (partly: too large to send in full)' : ''}` : ' · import names complete'}
        </span>
      ) : (
        <>
          <span>Packages not installed on this computer yet: the editor does not know their types.</span>
          <button type="button" className="small" onClick={() => void install()} disabled={installing}>
            {installing ? 'Installing…' : 'Install packages'}
          </button>
        </>
      )}
      {error && (
        <span className="fn-packages-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
