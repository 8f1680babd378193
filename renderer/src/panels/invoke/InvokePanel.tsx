import { useCallback, useEffect, useImperativeHandle, useState, type Ref } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import { HttpMethod, type InvokeHistoryEntry, type InvokeRequestInput, type SavedRequest } from '../../../../shared/contract/invoke';
import type { InvokeForm } from '../../../../shared/contract/workbench';
import { clockTime } from '../../format/time';
import { TransientNote, useTransientNote } from '../../status/TransientNote';
import { useEngine } from '../../api/engine';
import { CodeEditor } from '../../editor/LazyEditors';
import { CloudEventEditor } from './CloudEventEditor';
import { cloudEventProblems, cloudEventRequest, type CloudEventFields } from './cloudevents';
import { toCurl } from './curl';
import { NameValueRows } from './NameValueRows';
import { ResponseView } from './ResponseView';
import { useInvoke } from './useInvoke';
import './invoke.css';

const PARTS = ['body', 'query', 'headers', 'event'] as const;

export interface InvokeHandle {
  send(): void;
}

export interface InvokePanelProps {
  fn: string;
  context: string;
  namespace: string;
  theme: 'dark' | 'light';
  onRequestId(id: string): void;
  handle: Ref<InvokeHandle>;
  /** The form as left for this function (kept across reloads), and where its changes go. */
  initialForm?: InvokeForm | null;
  onForm?(form: InvokeForm): void;
}

type Form = InvokeForm & { ce: CloudEventFields | null };
const EMPTY: Form = { method: 'GET', path: '/', query: [], headers: [], bodyKind: 'json', body: '', ce: null };
/** The kept form (an event's fields are not kept: it comes back as the plain request it was). */
const fromKept = (f: InvokeForm | null | undefined): Form => (f ? { ...f, ce: null } : EMPTY);

/** Methods whose requests carry no body: a typed body is kept in the form but not sent. */
export const BODILESS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS']);

/** The request the form describes; a CloudEvent's headers and body are made here (id and time fresh each time). Throws on bad event data. */
function toRequest(fn: string, f: Form): InvokeRequestInput {
  const hasBody = f.body.trim() !== '' && !BODILESS.has(f.method);
  const plain = {
    function: fn,
    method: f.method,
    path: f.path || '/',
    query: f.query.filter((q) => q.name),
    headers: f.headers.filter((h) => h.name),
    body: hasBody ? { kind: f.bodyKind, content: f.body } : null,
  };
  if (!f.ce) return plain;
  // An event always has a body to carry: GET and HEAD become POST.
  const event = cloudEventRequest(f.ce, f.body, plain.headers);
  return { ...plain, method: f.method === 'GET' || f.method === 'HEAD' ? 'POST' : f.method, headers: event.headers, body: event.body };
}

function fromRequest(r: InvokeRequestInput): Form {
  return {
    method: r.method ?? 'GET',
    path: r.path ?? '/',
    query: r.query ?? [],
    headers: r.headers ?? [],
    bodyKind: r.body?.kind === 'text' ? 'text' : 'json',
    body: r.body && r.body.kind !== 'base64' ? r.body.content : '',
    ce: null, // a saved or past event comes back as the headers and body it was sent with
  };
}

/** Invoke the open function: the request, saved requests, history, and the answer. */
export function InvokePanel({ fn, context, namespace, theme, onRequestId, handle, initialForm, onForm }: InvokePanelProps) {
  const engine = useEngine();
  const [form, setForm] = useState<Form>(() => fromKept(initialForm));
  const [formGen, setFormGen] = useState(0);
  const [section, setSection] = useState<'query' | 'headers' | 'body' | 'event'>('body');
  const invoke = useInvoke();
  const { sending, reset: resetInvoke, send: sendInvoke } = invoke;
  const [history, setHistory] = useState<InvokeHistoryEntry[]>([]);
  const [saved, setSaved] = useState<SavedRequest[]>([]);
  const [saveName, setSaveName] = useState('');
  const note = useTransientNote();
  const { show: setNote, clear: clearNote } = note;
  const [curlText, setCurlText] = useState<string | null>(null);

  const refresh = useCallback(() => {
    engine.call('invoke.history', { function: fn, limit: 50 }).then(setHistory, () => undefined);
    engine.call('invoke.saved.list', { function: fn }).then(setSaved, () => undefined);
  }, [engine, fn]);

  useEffect(() => {
    setForm(fromKept(initialForm));
    setFormGen((g) => g + 1);
    resetInvoke();
    refresh();
    // A new function starts from its kept form; later changes of `initialForm` are our own echoes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fn, context, namespace, refresh, resetInvoke]);
  useEffect(() => {
    const { ce: _ce, ...kept } = form;
    void _ce;
    onForm?.(kept);
  }, [form]); // eslint-disable-line react-hooks/exhaustive-deps

  const load = (r: InvokeRequestInput) => {
    setForm(fromRequest(r));
    setFormGen((g) => g + 1);
  };

  const send = useCallback(async () => {
    let request: InvokeRequestInput;
    try {
      if (form.ce && cloudEventProblems(form.ce).length) throw new Error('Complete the CloudEvent first: ' + cloudEventProblems(form.ce).join(' '));
      request = toRequest(fn, form);
    } catch (e) {
      setSection(form.ce ? 'event' : 'body');
      return setNote((e as Error).message, { keep: true });
    }
    clearNote();
    await sendInvoke(request);
    refresh();
  }, [fn, form, refresh, sendInvoke, setNote, clearNote]);

  useImperativeHandle(handle, () => ({ send: () => void send() }), [send]);

  const saveRequest = async () => {
    if (!saveName.trim()) return setNote('Give the request a name to save it.');
    try {
      await engine.call('invoke.saved.save', { function: fn, name: saveName.trim(), request: toRequest(fn, form) as never });
      setNote(`Saved "${saveName.trim()}".`);
      refresh();
    } catch (e) {
      setNote((e as FuncdeckError).message, { keep: true });
    }
  };

  const copyCurl = async () => {
    let text: string;
    try {
      text = toCurl(toRequest(fn, form), context, namespace);
    } catch (e) {
      return setNote((e as Error).message, { keep: true });
    }
    try {
      await navigator.clipboard.writeText(text);
      setNote('Copied the curl command.');
      setCurlText(null);
    } catch {
      setCurlText(text); // clipboard refused: show it to copy by hand
    }
  };

  return (
    <div className="invoke-panel">
      <div className="invoke-request">
        <form
          className="request-line"
          aria-label="Request"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <select aria-label="Method" value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value as HttpMethod })}>
            {HttpMethod.options.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input aria-label="Path" className="grow" value={form.path} onChange={(e) => setForm({ ...form, path: e.target.value })} spellCheck={false} />
          <button type="submit" className="primary" disabled={sending} aria-keyshortcuts="Control+Shift+Enter" title="Invoke (Ctrl/Cmd+Shift+Enter)">
            {sending ? 'Sending…' : 'Invoke'}
          </button>
          <button type="button" onClick={() => void copyCurl()}>
            Copy as curl
          </button>
        </form>
        <div
          className="request-tabs"
          role="tablist"
          aria-label="Request parts"
          onKeyDown={(e) => {
            const i = PARTS.indexOf(section);
            const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
            if (next === null) return;
            e.preventDefault();
            const s = PARTS[(next + PARTS.length) % PARTS.length]!;
            setSection(s);
            document.getElementById(`req-tab-${s}`)?.focus();
          }}
        >
          {PARTS.map((s) => (
            <button
              key={s}
              id={`req-tab-${s}`}
              type="button"
              role="tab"
              className="panel-tab"
              aria-selected={section === s}
              aria-controls={`req-part-${s}`}
              tabIndex={section === s ? 0 : -1}
              onClick={() => setSection(s)}
            >
              {s === 'body' ? 'Body' : s === 'query' ? `Query (${form.query.length})` : s === 'headers' ? `Headers (${form.headers.length})` : form.ce ? 'CloudEvent (on)' : 'CloudEvent'}
            </button>
          ))}
        </div>
        {PARTS.map((s) => (
          <div key={s} id={`req-part-${s}`} className="request-part" role="tabpanel" aria-labelledby={`req-tab-${s}`} hidden={section !== s}>
            {s === 'query' && section === s && <NameValueRows label="Query parameter" rows={form.query} onChange={(query) => setForm({ ...form, query })} />}
            {s === 'headers' && section === s && <NameValueRows label="Header" rows={form.headers} onChange={(headers) => setForm({ ...form, headers })} />}
            {s === 'event' && section === s && (
              <CloudEventEditor
                fn={fn}
                namespace={namespace}
                value={form.ce}
                onChange={(ce) => setForm((f) => ({ ...f, ce }))}
                onTemplate={(t) => {
                  setForm((f) => ({ ...f, method: f.method === 'GET' || f.method === 'HEAD' ? 'POST' : f.method, bodyKind: t.bodyKind, body: t.data }));
                  setFormGen((g) => g + 1);
                }}
              />
            )}
            {s === 'body' && section === s && (
              <>
                <div className="body-toolbar">
                  <select aria-label="Body type" value={form.bodyKind} onChange={(e) => setForm({ ...form, bodyKind: e.target.value as 'json' | 'text' })}>
                    <option value="json">JSON</option>
                    <option value="text">Text</option>
                  </select>
                  {BODILESS.has(form.method) && !form.ce && form.body.trim() !== '' && (
                    <p className="body-not-sent" role="note">
                      {form.method} requests carry no body: this text is not sent. Choose POST, PUT, PATCH or DELETE to send it.
                    </p>
                  )}
                </div>
                <div className="body-editor">
                  <CodeEditor
                    path={`invoke/${fn}/g${formGen}/body.${form.bodyKind === 'json' ? 'json' : 'txt'}`}
                    value={form.body}
                    language={form.bodyKind === 'json' ? 'json' : 'plaintext'}
                    theme={theme}
                    label="Request body"
                    onChange={(body) => setForm((f) => ({ ...f, body }))}
                  />
                </div>
              </>
            )}
          </div>
        ))}
        <div className="saved-row">
          <select
            aria-label="Saved requests"
            value=""
            onChange={(e) => {
              const s = saved.find((x) => x.name === e.target.value);
              if (!s) return;
              load(s.request);
              setSaveName(s.name);
            }}
          >
            <option value="">{saved.length ? `Saved requests (${saved.length})` : 'No saved requests'}</option>
            {saved.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          <input aria-label="Name to save the request as" placeholder="name" value={saveName} onChange={(e) => setSaveName(e.target.value)} />
          <button type="button" onClick={() => void saveRequest()}>
            Save request
          </button>
          <TransientNote note={note} />
        </div>
        {curlText && <textarea aria-label="curl command" readOnly className="curl-text" value={curlText} />}
      </div>
      <ResponseView result={invoke.result} error={invoke.error} live={invoke.live} sending={sending} onRequestId={onRequestId} />
      <section className="invoke-history" aria-label="History">
        <h3 className="side-heading">History</h3>
        {history.length === 0 && <p className="muted">No calls yet.</p>}
        <ul>
          {history.map((h) => (
            <li key={h.id}>
              <button type="button" className="history-item" onClick={() => load(h.request)} title="Load this request">
                <span className={`http-status ${h.summary.status !== null && h.summary.status < 400 ? 'ok' : 'bad'}`}>
                  {h.summary.status ?? h.summary.error?.code ?? '—'}
                </span>
                <span className="history-path">
                  {h.request.method} {h.request.path}
                </span>
                <time className="muted" dateTime={h.invokedAt}>
                  {clockTime(h.invokedAt)}
                </time>
                {h.summary.revision && <span className="muted">revision {h.summary.revision}</span>}
                <span className="muted">{h.summary.totalMs != null ? `${Math.round(h.summary.totalMs)} ms` : ''}</span>
              </button>
              {h.summary.requestId && (
                <button type="button" className="link small-link" onClick={() => onRequestId(h.summary.requestId!)} aria-label={`Logs of request ${h.summary.requestId}`}>
                  logs
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
