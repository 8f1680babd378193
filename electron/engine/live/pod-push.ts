import { randomBytes } from 'node:crypto';
import { sha256 } from '../build/checksum';
import type { KubeConfig } from '@kubernetes/client-node';
import type { SourceFile } from '../../../shared/contract/functions';
import { CONTAINER } from '../deploy/names';
import { execInPod } from './exec';

/**
 * One push into one pod: the request (changed files with their text, the other files' paths to
 * keep) goes to the container's stdin through `pods/exec`; a shell writes it into the runtime's live
 * inbox, signals the runtime (PID 1) and prints its answer (runtimes/nodejs/live-reload.cjs,
 * runtimes/python/funcdeck_live.py). `sh`, `head -c`, `mv`, `kill` and `sleep` are all it needs
 * (busybox, alpine and Debian images have them).
 */

// $1: request id, $2: request length in bytes.
const SCRIPT = [
  'd="$FUNCDECK_LIVE_DIR"',
  'if [ -z "$d" ] || [ ! -d "$d/inbox" ]; then echo \'{"ok":false,"generation":0,"error":"this revision was deployed before live update existed, or its runtime has not started: deploy once, then live update works"}\'; exit 0; fi',
  'f="$d/inbox/$1"',
  'head -c "$2" > "$f.part" && mv "$f.part" "$f.json" && kill -USR2 1 || { echo \'{"ok":false,"generation":0,"error":"could not hand the code to the runtime"}\'; exit 0; }',
  'i=0',
  'while [ ! -e "$f.ack" ]; do i=$((i+1)); if [ $i -gt 3000 ]; then echo \'{"ok":false,"generation":0,"error":"the runtime did not answer within 30 s"}\'; exit 0; fi; sleep 0.01; done',
  'cat "$f.ack"; rm -f "$f.ack"',
].join('\n');


/** What the engine knows of the code in one pod. */
export interface PodCode {
  uid: string;
  restartCount: number;
  /** 0 = its revision's code. */
  generation: number;
  /** path -> sha256 of what it runs (after the last push). */
  files: Map<string, string>;
}

export interface PodAck {
  ok: boolean;
  generation: number;
  stale?: boolean;
  error?: string;
  ms?: number;
}

export interface PodPushOutcome {
  ack: PodAck;
  changed: number;
  ms: number;
}

async function send(kc: KubeConfig, ns: string, pod: string, request: object, timeoutMs: number): Promise<PodAck> {
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const body = Buffer.from(JSON.stringify(request), 'utf8');
  const r = await execInPod(kc, { namespace: ns, pod, container: CONTAINER.fn }, ['sh', '-c', SCRIPT, 'funcdeck-live', id, String(body.length)], body, { timeoutMs });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as PodAck;
  } catch {
    const why = r.status.message ?? (r.stderr.trim() || line || 'no answer');
    return { ok: false, generation: -1, error: `the pod could not take the code (${why.slice(0, 300)})` };
  }
}

/**
 * Pushes `files` (what the pod should run) into `pod`: only the files that changed since what `known`
 * says it runs, or everything when nothing is known or the pod's code is not what was thought.
 */
export async function pushToPod(kc: KubeConfig, ns: string, pod: string, known: PodCode | null, files: SourceFile[], timeoutMs = 30_000): Promise<PodPushOutcome> {
  const started = performance.now();
  const full = { full: true, files, keep: [] as string[] };
  let request: object = full;
  let changed = files.length;
  if (known && known.generation > 0) {
    const changedFiles = files.filter((f) => known.files.get(f.path) !== sha256(f.content));
    const keep = files.filter((f) => known.files.get(f.path) === sha256(f.content)).map((f) => f.path);
    request = { base: known.generation, files: changedFiles, keep };
    changed = changedFiles.length;
  }
  let ack = await send(kc, ns, pod, request, timeoutMs);
  if (!ack.ok && ack.stale) {
    ack = await send(kc, ns, pod, full, timeoutMs);
    changed = files.length;
  }
  return { ack, changed, ms: performance.now() - started };
}
