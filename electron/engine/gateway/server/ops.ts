import http from 'node:http';
import { OPS_PORT } from '../shared/constants';

export { OPS_PORT };

/** The gateway's own port: health, readiness, Prometheus metrics and a read-only status document. Nothing here changes anything. */
export function opsServer(handlers: { ready(): boolean; metrics(): string; status(): unknown }): http.Server {
  return http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const send = (code: number, type: string, body: string) => res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'read-only\n');
    if (url === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (url === '/readyz') return handlers.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'not ready\n');
    if (url === '/metrics') return send(200, 'text/plain; version=0.0.4', handlers.metrics());
    if (url === '/status') return send(200, 'application/json', JSON.stringify(handlers.status()));
    send(404, 'text/plain', 'not found\n');
  });
}
