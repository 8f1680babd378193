import { effectiveResources, IMAGE_NEEDS, type ExactResources } from '../../../../shared/contract/function-extras';
import { SIZE_PRESETS, type FunctionSpecInput, type SizePreset } from '../../../../shared/contract/functions';
import { parseQuantity } from '../../../../shared/contract/quantity';

type Kind = 'cpu' | 'memory';
type Which = 'requests' | 'limits';
const FIELDS: Array<[Which, Kind, string]> = [
  ['requests', 'cpu', 'CPU request'],
  ['limits', 'cpu', 'CPU limit'],
  ['requests', 'memory', 'Memory request'],
  ['limits', 'memory', 'Memory limit'],
];

/** Sets one exact value; an emptied field goes away, and so do empty groups, so the size preset fills in. */
function withValue(resources: ExactResources | undefined, which: Which, kind: Kind, value: string): ExactResources | undefined {
  const group: Record<string, string | undefined> = { ...(resources?.[which] ?? {}), [kind]: value.trim() || undefined };
  for (const k of Object.keys(group)) if (!group[k]) delete group[k];
  const next: Record<string, unknown> = { ...(resources ?? {}), [which]: Object.keys(group).length ? group : undefined };
  for (const k of Object.keys(next)) if (!next[k]) delete next[k];
  return Object.keys(next).length ? (next as ExactResources) : undefined;
}

/** Exact CPU and memory beside the size preset, with what the function will get; and its own image. */
export function ResourceFields({
  spec,
  runtimeImage,
  error,
  onEdit,
}: {
  spec: FunctionSpecInput;
  runtimeImage: string | null;
  error(path: string): string | undefined;
  onEdit(update: (spec: FunctionSpecInput) => FunctionSpecInput): void;
}) {
  const preset = SIZE_PRESETS[(spec.size ?? 'S') as SizePreset];
  const valid = (q: string | undefined) => (q && parseQuantity(q) !== null ? q : undefined);
  const exact = spec.resources;
  const usable: ExactResources = {
    requests: { cpu: valid(exact?.requests?.cpu), memory: valid(exact?.requests?.memory) },
    limits: { cpu: valid(exact?.limits?.cpu), memory: valid(exact?.limits?.memory) },
  };
  const effective = effectiveResources(preset, usable);
  const setResources = (resources: ExactResources | undefined) =>
    onEdit((s) => {
      const next = { ...s, resources };
      if (!resources) delete next.resources;
      return next;
    });
  return (
    <>
      <p className="muted hint">Each value given wins over the size preset&rsquo;s; one left empty comes from the preset ({spec.size ?? 'S'}), kept so no request is above its limit.</p>
      <div className="resource-grid">
        {FIELDS.map(([which, kind, label]) => {
          const id = `set-${which}-${kind}`;
          const problem = error(`resources.${which}.${kind}`);
          return (
            <div key={id} className="resource-field">
              <label htmlFor={id}>{label}</label>
              <input
                id={id}
                value={exact?.[which]?.[kind] ?? ''}
                placeholder={`${preset[which][kind]} (preset)`}
                spellCheck={false}
                aria-invalid={!!problem}
                aria-describedby={problem ? `${id}-err` : undefined}
                onChange={(e) => setResources(withValue(exact, which, kind, e.target.value))}
              />
              {problem && (
                <span className="field-error" id={`${id}-err`}>
                  {problem}
                </span>
              )}
            </div>
          );
        })}
      </div>
      <p className="muted hint" aria-live="polite">
        Runs with requests {effective.requests.cpu} CPU and {effective.requests.memory}, limits {effective.limits.cpu} CPU and {effective.limits.memory}.
      </p>
      <div className="form-row">
        <label htmlFor="set-image">Image</label>
        <input
          id="set-image"
          value={spec.image ?? ''}
          placeholder={runtimeImage ? `${runtimeImage} (the runtime's, from settings)` : "the runtime's image from settings"}
          spellCheck={false}
          aria-invalid={!!error('image')}
          aria-describedby="set-image-help"
          onChange={(e) =>
            onEdit((s) => {
              const { image: _old, ...rest } = s;
              return e.target.value.trim() ? { ...rest, image: e.target.value } : rest;
            })
          }
        />
        {error('image') && <span className="field-error">{error('image')}</span>}
        <span id="set-image-help" className="muted hint field-help">
          A custom image must carry {IMAGE_NEEDS[spec.runtime]} Funcdeck mounts its runtime server and your code into it.
        </span>
      </div>
    </>
  );
}
