import http from 'node:http';
import type { Log } from './log';

/**
 * One listening socket per function, on the port its Service sends calls to. A port whose function
 * is gone stays open for a while (callers may still have it from before the change), then closes.
 */
export const LINGER_MS = 30_000;

interface Listener {
  server: http.Server;
  fn: string;
  bound: boolean;
  closeTimer: NodeJS.Timeout | null;
}

export class Listeners {
  private readonly byPort = new Map<number, Listener>();

  constructor(
    private readonly handler: (port: number, req: http.IncomingMessage, res: http.ServerResponse) => void,
    private readonly log: Log,
  ) {}

  sync(ports: Map<number, string>): void {
    for (const [port, fn] of ports) {
      const l = this.byPort.get(port);
      if (l) {
        l.fn = fn;
        if (l.closeTimer) clearTimeout(l.closeTimer);
        l.closeTimer = null;
        continue;
      }
      const server = http.createServer((req, res) => this.handler(port, req, res));
      // Longer than the API server's and kube-proxy callers' idle timeouts, so the caller closes first.
      server.keepAliveTimeout = 120_000;
      server.headersTimeout = 125_000;
      server.requestTimeout = 0;
      const entry: Listener = { server, fn, bound: false, closeTimer: null };
      this.byPort.set(port, entry);
      server.on('error', (e) => this.log(`cannot listen on port ${port} for ${fn}: ${e.message}`));
      server.listen(port, '0.0.0.0', () => {
        entry.bound = true;
        this.log(`serving ${fn} on port ${port}`);
      });
    }
    for (const [port, l] of this.byPort) {
      if (ports.has(port) || l.closeTimer) continue;
      l.closeTimer = setTimeout(() => {
        this.byPort.delete(port);
        l.server.close();
        l.server.closeIdleConnections();
        this.log(`stopped serving ${l.fn} on port ${port}`);
      }, LINGER_MS);
    }
  }

  allBound(ports: Iterable<number>): boolean {
    for (const p of ports) if (!this.byPort.get(p)?.bound) return false;
    return true;
  }

  isBound(port: number): boolean {
    return !!this.byPort.get(port)?.bound;
  }

  /** Stops accepting connections; calls in progress finish. */
  close(): void {
    for (const l of this.byPort.values()) {
      if (l.closeTimer) clearTimeout(l.closeTimer);
      l.server.close();
      l.server.closeIdleConnections();
    }
  }
}
