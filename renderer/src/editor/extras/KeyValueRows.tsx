import { useEffect, useState } from 'react';

/**
 * A map (labels, annotations) edited as rows. Rows are kept locally so a key can be cleared or
 * briefly equal another while typing; the map handed up is rebuilt from them on every edit.
 */
export function KeyValueRows({
  what,
  map,
  errors,
  onChange,
}: {
  what: 'Label' | 'Annotation';
  map: Record<string, string>;
  errors: (key: string) => string | undefined;
  onChange(next: Record<string, string> | undefined): void;
}) {
  const [rows, setRows] = useState<Array<[string, string]>>(() => Object.entries(map));
  const asMap = (r: Array<[string, string]>) => Object.fromEntries(r);
  useEffect(() => {
    if (JSON.stringify(asMap(rows)) !== JSON.stringify(map)) setRows(Object.entries(map));
  }, [map]); // eslint-disable-line react-hooks/exhaustive-deps
  const update = (next: Array<[string, string]>) => {
    setRows(next);
    onChange(next.length ? asMap(next) : undefined);
  };
  const lower = what.toLowerCase();
  return (
    <>
      {rows.length === 0 && <p className="muted">None.</p>}
      {rows.map(([k, v], i) => (
        <div key={i}>
          <div className="env-row">
            <input aria-label={`${what} ${i + 1} key`} value={k} placeholder={what === 'Label' ? 'team' : 'example.com/owner'} spellCheck={false} onChange={(e) => update(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
            <input aria-label={`${what} ${i + 1} value`} value={v} placeholder="value" spellCheck={false} onChange={(e) => update(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
            <button type="button" aria-label={`Remove ${lower} ${k || i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
          {errors(k) && <div className="field-error">{errors(k)}</div>}
        </div>
      ))}
      <button type="button" onClick={() => update([...rows, ['', '']])}>
        Add {lower}
      </button>
    </>
  );
}
