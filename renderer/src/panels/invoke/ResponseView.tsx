import { useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { InvokeResult } from '../../../../shared/contract/invoke';
import { formatMs } from '../deploy/DeployPanel';
import { splitHeaders } from './header-origin';
import type { LiveAnswer } from './useInvoke';

export function formatBytes(n: number) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function pretty(result: InvokeResult): string {
  const { body } = result;
  if (body.kind === 'base64') return `(${formatBytes(body.sizeBytes)} of binary data)`;
  const type = result.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (body.kind === 'json' || type.includes('json')) {
    try {
      return JSON.stringify(JSON.parse(body.content), null, 2);
    } catch {
      return body.content;
    }
  }
  return body.content;
}

/** An answer still arriving (or cut): its status, what came so far, and its request id. */
function LiveView({ live, onRequestId, cut }: { live: LiveAnswer; onRequestId(id: string): void; cut: boolean }) {
  const head = live.head;
  return (
    <>
      <div className="response-meta">
        {head && (
          <span className={`http-status ${head.status < 400 ? 'ok' : 'bad'}`} role="status" aria-label="Response status">
            {head.status} {head.statusText}
          </span>
        )}
        <span role="status" aria-label="Answer progress">
          {cut ? `cut after ${formatBytes(live.receivedBytes)}` : `receiving… ${formatBytes(live.receivedBytes)}`}
        </span>
        {head?.revision && <span className="muted">revision {head.revision}</span>}
        {head?.requestId && (
          <button type="button" className="link" onClick={() => onRequestId(head.requestId!)} title="Show this call's log lines">
            request {head.requestId}
          </button>
        )}
      </div>
      {!live.allShown && <p className="muted">{live.text ? `Showing the first ${formatBytes(live.text.length)} so far.` : 'Binary data; bytes are counted as they arrive.'}</p>}
      <pre className="response-body" role="region" aria-label="Response body" aria-busy={!cut} tabIndex={0}>
        {live.text}
      </pre>
    </>
  );
}

/** The answer: status, timing, size, request id (a link into the logs), headers and the body; streamed answers as they arrive. */
export function ResponseView({
  result,
  error,
  live,
  sending,
  onRequestId,
}: {
  result: InvokeResult | null;
  error: FuncdeckError | null;
  live: LiveAnswer | null;
  sending: boolean;
  onRequestId(id: string): void;
}) {
  const [showHeaders, setShowHeaders] = useState(false);
  // A region named by a heading (hidden: the layout shows where it is), with a status and a body.
  const heading = (
    <h3 id="response-heading" className="visually-hidden">
      Response
    </h3>
  );
  if (error) {
    return (
      <section className="response" aria-labelledby="response-heading">
        {heading}
        <p className="deploy-failure" role="alert">
          <strong>{error.code}</strong> {error.message}
        </p>
        {live && <LiveView live={live} onRequestId={onRequestId} cut />}
      </section>
    );
  }
  if (!result && live) {
    return (
      <section className="response" aria-labelledby="response-heading">
        {heading}
        <LiveView live={live} onRequestId={onRequestId} cut={false} />
      </section>
    );
  }
  if (!result) {
    return (
      <section className="response panel-empty" aria-labelledby="response-heading">
        {heading}
        {sending ? 'Waiting for the answer…' : 'Send a request to see the answer here.'}
      </section>
    );
  }
  const ok = result.status < 400;
  const { fromFunction, fromApiServer } = splitHeaders(result.headers);
  return (
    <section className="response" aria-labelledby="response-heading">
      {heading}
      <div className="response-meta">
        <span className={`http-status ${ok ? 'ok' : 'bad'}`} role="status" aria-label="Response status">
          {result.status} {result.statusText}
        </span>
        <span title="Round trip, measured by the engine">{formatMs(result.timing.totalMs)}</span>
        {result.timing.functionMs != null && <span className="muted">handler {formatMs(result.timing.functionMs)}</span>}
        {result.coldStart && (
          <span
            className="cold-start"
            aria-label="Cold start"
            title={`This call waited for its revision to start (${result.coldStart.source === 'warm-pool' ? 'a warm pod took its code' : 'a new pod'}): scheduling ${formatMs(result.coldStart.parts.schedulingMs)}, container start ${formatMs(result.coldStart.parts.containerStartMs)}, runtime ready ${formatMs(result.coldStart.parts.runtimeReadyMs)}, first byte ${formatMs(result.coldStart.parts.firstByteMs)}`}
          >
            cold start {formatMs(result.coldStart.totalMs)}
          </span>
        )}
        <span>{formatBytes(result.body.sizeBytes)}</span>
        {result.revision && <span className="muted">revision {result.revision}</span>}
        {result.requestId && (
          <button type="button" className="link" onClick={() => onRequestId(result.requestId!)} title="Show this call's log lines">
            request {result.requestId}
          </button>
        )}
        <button type="button" className="small" aria-expanded={showHeaders} onClick={() => setShowHeaders((v) => !v)}>
          Headers ({result.headers.length})
        </button>
      </div>
      {showHeaders && (
        <div className="headers-groups" role="group" aria-label="Response headers" tabIndex={0}>
          <HeaderTable title="Headers from the function" headers={fromFunction} />
          <HeaderTable title="Headers added by the cluster's API server" note="Its service proxy adds these to every answer it relays." headers={fromApiServer} />
        </div>
      )}
      {result.body.truncated && <p className="muted">Showing the first {formatBytes(result.body.content.length)} of {formatBytes(result.body.sizeBytes)}.</p>}
      <pre className="response-body" role="region" aria-label="Response body" tabIndex={0}>
        {pretty(result)}
      </pre>
    </section>
  );
}

function HeaderTable({ title, note, headers }: { title: string; note?: string; headers: Array<{ name: string; value: string }> }) {
  if (headers.length === 0) return null;
  return (
    <table className="data headers-table" aria-label={title}>
      <caption>
        {title}
        {note && <span className="muted"> · {note}</span>}
      </caption>
      <tbody>
        {headers.map((h, i) => (
          <tr key={i}>
            <th scope="row">{h.name}</th>
            <td className="wrap">{h.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
