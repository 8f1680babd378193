import type { EnvSource, FileMount } from '../../../../shared/contract/function-extras';
import type { RefTargets } from '../../../../shared/contract/secrets';

type From = 'secret' | 'configMap';
const FROM_LABEL: Record<From, string> = { secret: 'Secret', configMap: 'ConfigMap' };

/** Names (and keys) the pickers suggest: what the namespace has, never values. */
export function RefSuggestions({ targets }: { targets: RefTargets | null }) {
  return (
    <>
      <datalist id="ref-secret-names">{targets?.secrets.map((s) => <option key={s.name} value={s.name} />)}</datalist>
      <datalist id="ref-configMap-names">{targets?.configMaps.map((c) => <option key={c.name} value={c.name} />)}</datalist>
    </>
  );
}

/** Secret or ConfigMap: the first field of every reference row. */
function KindSelect({ label, value, onChange }: { label: string; value: From; onChange(from: From): void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as From)}>
      <option value="secret">Secret</option>
      <option value="configMap">ConfigMap</option>
    </select>
  );
}

/** A row's field errors, under it. */
function RowProblems({ problems }: { problems: Array<string | undefined> }) {
  return (
    <>
      {problems.filter(Boolean).map((p) => (
        <div key={p} className="field-error ref-error">
          {p}
        </div>
      ))}
    </>
  );
}

/** The list without row `i`; the last row removed leaves the field out of the spec. */
const without = <T,>(list: T[], i: number): T[] | undefined => (list.length > 1 ? list.filter((_, j) => j !== i) : undefined);

function keysOf(targets: RefTargets | null, from: From, name: string): string[] {
  const list = from === 'secret' ? targets?.secrets : targets?.configMaps;
  return list?.find((o) => o.name === name)?.keys ?? [];
}

/** Environment variables from Secrets and ConfigMaps: a whole object, or one key as a named variable. */
export function EnvSourceRows({
  sources,
  targets,
  error,
  onChange,
}: {
  sources: EnvSource[];
  targets: RefTargets | null;
  error(path: string): string | undefined;
  onChange(next: EnvSource[] | undefined): void;
}) {
  const set = (i: number, patch: Partial<EnvSource>) => {
    const next = sources.map((s, j) => {
      if (j !== i) return s;
      const merged: Record<string, unknown> = { ...s, ...patch };
      for (const k of Object.keys(merged)) if (merged[k] === '' || merged[k] === undefined || merged[k] === false) delete merged[k];
      return merged as EnvSource;
    });
    onChange(next);
  };
  return (
    <>
      {sources.length === 0 && <p className="muted">None.</p>}
      {sources.map((s, i) => {
        const n = i + 1;
        return (
          <div key={i} className="ref-row" role="group" aria-label={`Value source ${n}`}>
            <KindSelect label={`Source ${n} kind`} value={s.from} onChange={(from) => set(i, { from })} />
            <input aria-label={`Source ${n} name`} list={`ref-${s.from}-names`} value={s.name} placeholder={`${FROM_LABEL[s.from]} name`} spellCheck={false} onChange={(e) => set(i, { name: e.target.value })} />
            <input
              aria-label={`Source ${n} key`}
              list={`ref-keys-${i}`}
              value={s.key ?? ''}
              placeholder="every key"
              spellCheck={false}
              onChange={(e) => set(i, e.target.value ? { key: e.target.value, prefix: undefined } : { key: undefined, as: undefined })}
            />
            <datalist id={`ref-keys-${i}`}>{keysOf(targets, s.from, s.name).map((k) => <option key={k} value={k} />)}</datalist>
            {s.key === undefined ? (
              <input aria-label={`Source ${n} prefix`} value={s.prefix ?? ''} placeholder="prefix (optional)" spellCheck={false} onChange={(e) => set(i, { prefix: e.target.value })} />
            ) : (
              <input aria-label={`Source ${n} variable`} value={s.as ?? ''} placeholder={`as ${s.key || 'VARIABLE'}`} spellCheck={false} onChange={(e) => set(i, { as: e.target.value })} />
            )}
            <button type="button" aria-label={`Remove source ${s.name || n}`} onClick={() => onChange(without(sources, i))}>
              Remove
            </button>
            <RowProblems problems={['from', 'name', 'key', 'as', 'prefix'].map((f) => error(`envFrom.${i}.${f}`))} />
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...sources, { from: 'secret', name: '' }])}>
        Add value source
      </button>
    </>
  );
}

/** Secrets and ConfigMaps mounted read-only as folders of files. */
export function MountRows({ mounts, error, onChange }: { mounts: FileMount[]; error(path: string): string | undefined; onChange(next: FileMount[] | undefined): void }) {
  const set = (i: number, patch: Partial<FileMount>) => onChange(mounts.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <>
      {mounts.length === 0 && <p className="muted">None.</p>}
      {mounts.map((m, i) => {
        const n = i + 1;
        return (
          <div key={i} className="ref-row mount-row" role="group" aria-label={`Mount ${n}`}>
            <KindSelect label={`Mount ${n} kind`} value={m.from} onChange={(from) => set(i, { from })} />
            <input aria-label={`Mount ${n} name`} list={`ref-${m.from}-names`} value={m.name} placeholder={`${FROM_LABEL[m.from]} name`} spellCheck={false} onChange={(e) => set(i, { name: e.target.value })} />
            <input aria-label={`Mount ${n} folder`} value={m.path} placeholder="/etc/secrets/db" spellCheck={false} onChange={(e) => set(i, { path: e.target.value })} />
            <button type="button" aria-label={`Remove mount ${m.path || n}`} onClick={() => onChange(without(mounts, i))}>
              Remove
            </button>
            <RowProblems problems={['name', 'path'].map((f) => error(`mounts.${i}.${f}`))} />
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...mounts, { from: 'secret', name: '', path: '' }])}>
        Add mount
      </button>
    </>
  );
}
