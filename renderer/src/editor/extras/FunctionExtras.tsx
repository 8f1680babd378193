import { useCallback, useEffect, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { FunctionSpecInput } from '../../../../shared/contract/functions';
import type { RefTargets } from '../../../../shared/contract/secrets';
import { useEngine } from '../../api/engine';
import { KeyValueRows } from './KeyValueRows';
import { EnvSourceRows, MountRows, RefSuggestions } from './RefFields';
import { ResourceFields } from './ResourceFields';
import { SecretsManager } from './SecretsManager';
import './extras.css';

/**
 * The rest of a function's settings (the whole spec): labels and annotations, values from Secrets
 * and ConfigMaps, mounted files, exact resources and image, and the function's own Secrets.
 * Mounted in the settings form with one line; edits go through the same onEdit as the rest.
 */
export function FunctionExtras({ spec, errors, onEdit }: { spec: FunctionSpecInput; errors: Map<string, string>; onEdit(update: (spec: FunctionSpecInput) => FunctionSpecInput): void }) {
  const engine = useEngine();
  const [targets, setTargets] = useState<RefTargets | null>(null);
  const [targetsError, setTargetsError] = useState<string | null>(null);
  const [runtimeImage, setRuntimeImage] = useState<string | null>(null);
  const error = (path: string) => errors.get(path);

  const loadTargets = useCallback(() => {
    engine.call('secrets.targets', { function: spec.name }).then(
      (t) => (setTargets(t), setTargetsError(null)),
      (e: FuncdeckError) => setTargetsError(`Secrets cannot be listed or edited now: ${e.message}`),
    );
  }, [engine, spec.name]);
  useEffect(loadTargets, [loadTargets]);
  useEffect(() => {
    engine.call('functions.runtimes', {}).then((list) => setRuntimeImage(list.find((r) => r.id === spec.runtime)?.image ?? null), () => undefined);
  }, [engine, spec.runtime]);

  const setField = <K extends keyof FunctionSpecInput>(key: K, value: FunctionSpecInput[K] | undefined) =>
    onEdit((s) => {
      const next = { ...s, [key]: value };
      if (value === undefined) delete next[key];
      return next;
    });

  const use = (name: string, how: 'env' | 'files') =>
    onEdit((s) =>
      how === 'env'
        ? { ...s, envFrom: [...(s.envFrom ?? []), { from: 'secret', name }] }
        : { ...s, mounts: [...(s.mounts ?? []), { from: 'secret', name, path: `/etc/secrets/${name}` }] },
    );

  return (
    <>
      <fieldset>
        <legend>Labels and annotations</legend>
        <p className="muted hint">Added to every object of the function; Funcdeck&rsquo;s own keys (funcdeck.dev/…, app.kubernetes.io/managed-by) stay its own.</p>
        <h3 className="sub-legend">Labels</h3>
        <KeyValueRows what="Label" map={spec.labels ?? {}} errors={(k) => error(`labels.${k}`)} onChange={(m) => setField('labels', m)} />
        <h3 className="sub-legend">Annotations</h3>
        <KeyValueRows what="Annotation" map={spec.annotations ?? {}} errors={(k) => error(`annotations.${k}`)} onChange={(m) => setField('annotations', m)} />
      </fieldset>
      <fieldset>
        <legend>Values from Secrets and ConfigMaps</legend>
        <RefSuggestions targets={targets} />
        <EnvSourceRows sources={(spec.envFrom ?? []) as never} targets={targets} error={error} onChange={(v) => setField('envFrom', v)} />
        <h3 className="sub-legend">Mounted as files</h3>
        <MountRows mounts={(spec.mounts ?? []) as never} error={error} onChange={(v) => setField('mounts', v)} />
      </fieldset>
      <fieldset>
        <legend>Exact resources and image</legend>
        <ResourceFields spec={spec} runtimeImage={runtimeImage} error={error} onEdit={onEdit} />
      </fieldset>
      <fieldset>
        <legend>Secrets</legend>
        <SecretsManager fn={spec.name} secrets={targets?.secrets ?? []} unavailable={targetsError} onChanged={loadTargets} onUse={use} />
      </fieldset>
    </>
  );
}
