import { useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { InvokeResult } from '../../../../shared/contract/invoke';
import { formatMs } from '../deploy/DeployPanel';
import { splitHeaders } from './header-origin';

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

/** The answer: status, timing, size, request id (a link into the logs), headers and the body. */
export function ResponseView({ result, error, onRequestId }: { result: InvokeResult | null; error: FuncdeckError | null; onRequestId(id: string): void }) {
  const [showHeaders, setShowHeaders] = useState(false);
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
      </section>
    );
  }
  if (!result) {
    return (
      <section className="response panel-empty" aria-labelledby="response-heading">
        {heading}
        Send a request to see the answer here.
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
