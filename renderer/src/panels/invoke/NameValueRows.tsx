import type { NameValue } from '../../../../shared/contract/invoke';

/** Editable name/value pairs (query parameters, headers). */
export function NameValueRows({ label, rows, onChange }: { label: string; rows: NameValue[]; onChange(rows: NameValue[]): void }) {
  const set = (i: number, patch: Partial<NameValue>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="nv-rows">
      {rows.map((r, i) => (
        <div className="nv-row" key={i}>
          <input aria-label={`${label} ${i + 1} name`} placeholder="name" value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
          <input aria-label={`${label} ${i + 1} value`} placeholder="value" value={r.value} onChange={(e) => set(i, { value: e.target.value })} />
          <button type="button" aria-label={`Remove ${label.toLowerCase()} ${r.name || i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add {label.toLowerCase()}
      </button>
    </div>
  );
}
