import { useEffect, useState } from 'react';
import { parse, stringify } from 'yaml';
import { describeIssues } from '../../../shared/contract';
import { FunctionSpec, FunctionSpecShape, SIZE_PRESETS, SizePreset, type FunctionSpecInput } from '../../../shared/contract/functions';
import { unknownFields, unknownFieldWarning } from '../../../shared/contract/unknown-fields';
import type { Workspace } from '../workspace/useWorkspace';
import { FunctionExtras } from './extras/FunctionExtras';
import { CronTriggerForm } from './cron/CronTriggerForm';

export interface SettingsTabProps {
  workspace: Workspace;
  theme: 'dark' | 'light';
  onEdit(update: (spec: FunctionSpecInput) => FunctionSpecInput): void;
  onReplace(spec: FunctionSpecInput): void;
}

const SCALE_DEFAULTS = { min: 1, max: 1, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 };

/** The function's settings as a form, and the whole spec as YAML (editable, checked before it is applied). */
export function SettingsTab({ workspace, onEdit, onReplace }: SettingsTabProps) {
  const { spec } = workspace;
  const checked = FunctionSpec.safeParse(spec);
  const fieldErrors = new Map<string, string>();
  if (!checked.success) for (const issue of checked.error.issues) fieldErrors.set(issue.path.join('.'), issue.message);
  for (const issue of workspace.issues) fieldErrors.set(issue.path, issue.message);
  const err = (path: string) =>
    fieldErrors.get(path) ? (
      <span className="field-error" id={`err-${path}`}>
        {fieldErrors.get(path)}
      </span>
    ) : null;
  const scale = { ...SCALE_DEFAULTS, ...(spec.scale ?? {}) };
  const setScale = (patch: Partial<typeof scale>) => onEdit((s) => ({ ...s, scale: { ...SCALE_DEFAULTS, ...(s.scale ?? {}), ...patch } }));
  const env = spec.env ?? [];
  const num = (v: string) => (v === '' ? Number.NaN : Number(v));

  return (
    <div className="settings-tab">
      <form className="settings-form" aria-label="Function settings" noValidate onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Function</legend>
          <div className="form-row">
            <label htmlFor="set-name">Name</label>
            <input id="set-name" value={spec.name} readOnly />
            <label htmlFor="set-handler">Handler</label>
            <input id="set-handler" value={spec.handler} onChange={(e) => onEdit((s) => ({ ...s, handler: e.target.value }))} />
            {err('handler')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Size and time</legend>
          <div className="form-row">
            <label htmlFor="set-size">Size</label>
            <select id="set-size" value={spec.size ?? 'S'} onChange={(e) => onEdit((s) => ({ ...s, size: e.target.value as SizePreset }))}>
              {SizePreset.options.map((p) => (
                <option key={p} value={p}>
                  {p} — {SIZE_PRESETS[p].requests.cpu} CPU, {SIZE_PRESETS[p].requests.memory} (limit {SIZE_PRESETS[p].limits.cpu}, {SIZE_PRESETS[p].limits.memory})
                </option>
              ))}
            </select>
            <label htmlFor="set-timeout">Timeout (seconds)</label>
            <input
              id="set-timeout"
              type="number"
              min={1}
              max={900}
              value={Number.isNaN(spec.timeoutSeconds) ? '' : (spec.timeoutSeconds ?? 180)}
              onChange={(e) => onEdit((s) => ({ ...s, timeoutSeconds: num(e.target.value) }))}
            />
            {err('timeoutSeconds')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Scale</legend>
          <div className="form-row">
            <label htmlFor="set-min">Minimum pods</label>
            <input id="set-min" type="number" min={0} max={20} value={scale.min} onChange={(e) => setScale({ min: num(e.target.value) })} />
            {err('scale.min')}
            <label htmlFor="set-max">Maximum pods</label>
            <input id="set-max" type="number" min={1} max={20} value={scale.max} onChange={(e) => setScale({ max: num(e.target.value) })} />
            {err('scale.max')}
            <label htmlFor="set-conc">Requests in flight per pod</label>
            <input
              id="set-conc"
              type="number"
              min={1}
              max={1000}
              value={scale.targetConcurrency}
              onChange={(e) => setScale({ targetConcurrency: num(e.target.value) })}
            />
            {/* With a minimum of 0 the namespace gateway scales the function to zero after this long without calls. */}
            <label htmlFor="set-grace">Scale to zero after (s idle)</label>
            <input
              id="set-grace"
              type="number"
              min={0}
              max={3600}
              value={scale.scaleToZeroGraceSeconds}
              disabled={scale.min !== 0}
              title={scale.min !== 0 ? 'Set the minimum to 0 to scale to zero' : undefined}
              onChange={(e) => setScale({ scaleToZeroGraceSeconds: num(e.target.value) })}
            />
            {err('scale.scaleToZeroGraceSeconds')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Environment variables</legend>
          {env.length === 0 && <p className="muted">None.</p>}
          {env.map((v, i) => (
            <div key={i}>
              <div className="env-row">
                <input
                  aria-label={`Variable ${i + 1} name`}
                  value={v.name}
                  placeholder="NAME"
                  onChange={(e) => onEdit((s) => ({ ...s, env: (s.env ?? []).map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) }))}
                />
                <input
                  aria-label={`Variable ${i + 1} value`}
                  value={v.value}
                  placeholder="value"
                  onChange={(e) => onEdit((s) => ({ ...s, env: (s.env ?? []).map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) }))}
                />
                <button type="button" aria-label={`Remove variable ${v.name || i + 1}`} onClick={() => onEdit((s) => ({ ...s, env: (s.env ?? []).filter((_, j) => j !== i) }))}>
                  Remove
                </button>
              </div>
              {fieldErrors.get(`env.${i}.name`) && <div className="field-error">{fieldErrors.get(`env.${i}.name`)}</div>}
              {fieldErrors.get(`env.${i}.value`) && <div className="field-error">{fieldErrors.get(`env.${i}.value`)}</div>}
            </div>
          ))}
          <button type="button" onClick={() => onEdit((s) => ({ ...s, env: [...(s.env ?? []), { name: '', value: '' }] }))}>
            Add variable
          </button>
        </fieldset>
        <FunctionExtras spec={spec} errors={fieldErrors} onEdit={onEdit} />
      </form>
      <YamlView spec={spec} generation={workspace.generation} onReplace={onReplace} />
      <CronTriggerForm fn={spec.name} cron={spec.cron} deployed={workspace.deployed} onChange={(cron) => onEdit((s) => ({ ...s, cron }))} />
    </div>
  );
}

function YamlView({ spec, generation, onReplace }: { spec: FunctionSpecInput; generation: number; onReplace(spec: FunctionSpecInput): void }) {
  // Literal blocks keep source files line for line (folded blocks would re-wrap them).
  const rendered = stringify(spec, { lineWidth: 0, blockQuote: 'literal' });
  const [text, setText] = useState(rendered);
  const [editing, setEditing] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const unknown = unknownFields(FunctionSpecShape, spec).map(unknownFieldWarning);
  useEffect(() => {
    if (!editing) setText(rendered);
  }, [rendered, editing, generation]);

  const apply = () => {
    let value: unknown;
    try {
      value = parse(text);
    } catch (e) {
      return setProblems([`Not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
    }
    const result = FunctionSpec.safeParse(value);
    if (!result.success) return setProblems(describeIssues(result.error));
    if ((value as FunctionSpecInput).name !== spec.name) return setProblems(['The name cannot change here; create a new function instead.']);
    setProblems([]);
    setEditing(false);
    onReplace(value as FunctionSpecInput);
  };

  return (
    <section className="yaml-view" aria-labelledby="yaml-heading">
      <h2 id="yaml-heading" className="side-heading">
        Spec as YAML
      </h2>
      <textarea
        aria-label="Function spec as YAML"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setEditing(true);
          setText(e.target.value);
        }}
      />
      {problems.length > 0 && (
        <ul className="issue-list" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {unknown.length > 0 && (
        <ul className="note-list" aria-label="Notes on the spec">
          {unknown.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="screen-actions">
        <button type="button" onClick={apply} disabled={!editing}>
          Apply YAML
        </button>
        <button
          type="button"
          disabled={!editing}
          onClick={() => {
            setEditing(false);
            setProblems([]);
            setText(rendered);
          }}
        >
          Revert
        </button>
      </div>
    </section>
  );
}
