import { cloudEventProblems, cloudEventTemplates, EMPTY_CLOUD_EVENT, type CloudEventFields, type CloudEventTemplate } from './cloudevents';

export interface CloudEventEditorProps {
  fn: string;
  namespace: string;
  /** null: the request is sent as it is, not as a CloudEvent. */
  value: CloudEventFields | null;
  onChange(value: CloudEventFields | null): void;
  /** A template also sets the body (the event's data). */
  onTemplate(template: CloudEventTemplate): void;
}

const FIELDS: Array<{ key: 'type' | 'source' | 'subject' | 'id' | 'time' | 'datacontenttype'; label: string; placeholder: string }> = [
  { key: 'type', label: 'Event type', placeholder: 'com.example.object.created' },
  { key: 'source', label: 'Event source', placeholder: '/buckets/uploads' },
  { key: 'subject', label: 'Event subject', placeholder: 'optional' },
  { key: 'id', label: 'Event id', placeholder: 'a new id on each send' },
  { key: 'time', label: 'Event time', placeholder: 'the time of sending' },
  { key: 'datacontenttype', label: 'Data content type', placeholder: 'application/json' },
];

/** The invoke panel's CloudEvent tab: send the request as a CloudEvent, in binary or structured mode, from a template. */
export function CloudEventEditor({ fn, namespace, value, onChange, onTemplate }: CloudEventEditorProps) {
  const templates = cloudEventTemplates(fn, namespace);
  const problems = value ? cloudEventProblems(value) : [];
  return (
    <div className="ce-editor">
      <label className="ce-toggle">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? { ...EMPTY_CLOUD_EVENT, ...(templates[0]?.fields ?? {}) } : null)} />
        Send as a CloudEvent
      </label>
      {value && (
        <>
          <div className="ce-row">
            <label htmlFor="ce-mode">Mode</label>
            <select id="ce-mode" value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value as CloudEventFields['mode'] })}>
              <option value="binary">Binary (ce-* headers, the body is the data)</option>
              <option value="structured">Structured (one application/cloudevents+json document)</option>
            </select>
            <label htmlFor="ce-template">Template</label>
            <select
              id="ce-template"
              value=""
              onChange={(e) => {
                const t = templates.find((x) => x.id === e.target.value);
                if (!t) return;
                onChange({ ...value, ...t.fields, id: '', time: '' });
                onTemplate(t);
              }}
            >
              <option value="">Fill from a template…</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div className="ce-fields">
            {FIELDS.map((f) => (
              <div className="ce-row" key={f.key}>
                <label htmlFor={`ce-${f.key}`}>{f.label}</label>
                <input id={`ce-${f.key}`} value={value[f.key]} placeholder={f.placeholder} spellCheck={false} onChange={(e) => onChange({ ...value, [f.key]: e.target.value })} />
              </div>
            ))}
          </div>
          <p className="muted">The Body tab holds the event&apos;s data. The function sees type, source, id and time as event-type, event-namespace, event-id and event-time.</p>
          {problems.length > 0 && (
            <ul className="issue-list" aria-label="CloudEvent problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
