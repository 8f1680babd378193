import type http from 'node:http';
import { TRAFFIC_HEADERS } from '../../../../shared/contract/runtime-protocol';
import { WeightedPicker } from '../shared/pick';
import { formatColdStart } from '../shared/server-timing';
import { ActivationError, type Activator } from './activator';
import type { CanaryRunner } from './canary-runner';
import { BodyTimeout, ConnectError, readBody, sendToPod } from './forward';
import type { Log } from './log';
import type { GatewayMetrics } from './metrics';
import type { Scaler } from './scaler';
import { revKey, type FunctionRoute, type GatewayState, type RevisionInfo } from './state';

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * One call to a function: pick its revision (the tag header, else the weights), find or start a
 * pod, forward, pass the answer back. Calls that could not reach a pod go to another one when
 * nothing of them was sent; everything else the gateway cannot do is a 5xx that says why.
 */
export class Router {
  private readonly pickers = new Map<string, WeightedPicker>();
  draining = false;
  inFlight = 0;

  constructor(
    private readonly state: GatewayState,
    private readonly activator: Activator,
    private readonly scaler: Scaler,
    private readonly canary: CanaryRunner,
    private readonly metrics: GatewayMetrics,
    /** The x-funcdeck-gateway header's value: version and pod name. */
    private readonly version: string,
    private readonly log: Log,
  ) {}

  async handle(route: FunctionRoute, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    try {
      const rev = this.choose(route, req, res);
      if (rev) await this.serve(route, rev, req, res);
    } finally {
      this.inFlight--;
    }
  }

  private choose(route: FunctionRoute, req: http.IncomingMessage, res: http.ServerResponse): RevisionInfo | null {
    const tagHeader = req.headers[TRAFFIC_HEADERS.tag];
    const tag = Array.isArray(tagHeader) ? tagHeader[0] : tagHeader;
    let n: number | null;
    if (tag !== undefined && tag !== '') {
      const t = route.doc.tags.find((x) => x.name === tag.trim());
      if (!t) {
        const have = route.doc.tags.map((x) => `"${x.name}"`).join(', ');
        this.reply(res, 404, `Function "${route.fn}" has no tag "${tag}" (${TRAFFIC_HEADERS.tag} header). ${have ? `Its tags: ${have}.` : 'It has no tags.'}`, route.fn, '');
        return null;
      }
      n = t.revision;
    } else {
      let picker = this.pickers.get(route.fn);
      if (!picker) this.pickers.set(route.fn, (picker = new WeightedPicker()));
      n = picker.pick(this.canary.weightsOf(route));
    }
    const rev = n === null ? undefined : this.state.revisions.get(revKey(route.fn, n));
    if (!rev) {
      this.reply(res, 503, `Function "${route.fn}" routes to revision ${n ?? '?'}, which does not exist (any more). Set its traffic again in Funcdeck.`, route.fn, String(n ?? ''));
      return null;
    }
    return rev;
  }

  private async serve(route: FunctionRoute, rev: RevisionInfo, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.scaler.callStarted(rev);
    let status = 0;
    try {
      const body = await readBody(req, (rev.timeoutSeconds + 15) * 1000);
      for (let attempt = 0; ; attempt++) {
        let acquired;
        try {
          acquired = await this.activator.acquire(rev);
        } catch (e) {
          if (!(e instanceof ActivationError)) throw e;
          status = 503;
          this.reply(res, 503, e.message, rev.fn, String(rev.rev));
          return;
        }
        const { pod, cold } = acquired;
        const sent = Date.now();
        try {
          const up = await sendToPod(pod, req, body, (rev.timeoutSeconds + 15) * 1000);
          status = up.statusCode ?? 502;
          const headers: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
          headers[TRAFFIC_HEADERS.gateway] = this.version;
          if (cold) {
            const now = Date.now();
            const c = { totalMs: now - cold.t0, source: cold.source, pod: pod.name, parts: { ...cold.parts, firstByteMs: now - sent } };
            const prev = headers['server-timing'];
            headers['server-timing'] = [prev, formatColdStart(c)].filter(Boolean).join(', ');
            this.recordCold(rev, c);
          }
          if (this.draining) headers.connection = 'close';
          res.writeHead(status, headers);
          await pipeAnswer(up, res);
          return;
        } catch (e) {
          if (!(e instanceof ConnectError)) throw e;
          this.state.suspect(pod);
          if (!e.retryable || attempt >= 2) {
            status = 502;
            this.reply(res, 502, `Function "${rev.fn}" revision ${rev.rev}: the call could not be delivered (${e.message}).`, rev.fn, String(rev.rev));
            return;
          }
          this.log(`${rev.fn} r${rev.rev}: ${e.message}; sending the call to another pod`);
        } finally {
          pod.inFlight--;
        }
      }
    } catch (e) {
      if (e instanceof BodyTimeout) {
        status = 408;
        if (!res.headersSent && !res.destroyed) this.reply(res, 408, `Function "${rev.fn}": ${e.message}; the call was not sent.`, rev.fn, String(rev.rev));
        return;
      }
      status = 502;
      if (!res.headersSent) this.reply(res, 502, `The gateway could not forward the call to "${rev.fn}": ${(e as Error).message}`, rev.fn, String(rev.rev));
      else res.destroy();
    } finally {
      this.scaler.callEnded(rev);
      this.metrics.requests.add({ function: rev.fn, revision: String(rev.rev), code: String(status || 499) });
      this.canary.record(rev.fn, rev.rev, status === 0 || status >= 500);
    }
  }

  private recordCold(rev: RevisionInfo, c: { totalMs: number; source: string; parts: Record<string, number> }): void {
    const l = { function: rev.fn, revision: String(rev.rev) };
    this.metrics.coldStarts.add({ ...l, source: c.source });
    const h = this.metrics.coldStartSeconds;
    h.observe({ ...l, part: 'total' }, c.totalMs / 1000);
    h.observe({ ...l, part: 'scheduling' }, (c.parts.schedulingMs ?? 0) / 1000);
    h.observe({ ...l, part: 'container_start' }, (c.parts.containerStartMs ?? 0) / 1000);
    h.observe({ ...l, part: 'runtime_ready' }, (c.parts.runtimeReadyMs ?? 0) / 1000);
    h.observe({ ...l, part: 'first_byte' }, (c.parts.firstByteMs ?? 0) / 1000);
    this.log(`${rev.fn} r${rev.rev}: cold start ${Math.round(c.totalMs)} ms (${c.source})`);
  }

  reply(res: http.ServerResponse, status: number, message: string, fn: string, revision: string): void {
    if (res.headersSent) return void res.destroy();
    const body = Buffer.from(message + '\n', 'utf8');
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(body.length),
      [TRAFFIC_HEADERS.gateway]: this.version,
      ...(this.draining ? { connection: 'close' } : {}),
    });
    res.end(body);
    if (status >= 500) this.log(`${fn}${revision ? ` r${revision}` : ''}: answered ${status}: ${message}`);
  }
}

function pipeAnswer(up: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    res.on('finish', done);
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
      done();
    });
    up.on('error', () => res.destroy());
    up.pipe(res);
  });
}
