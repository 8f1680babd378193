import fs from 'node:fs';
import type { Page } from '@playwright/test';

/**
 * Where the page's threads spend a time window, from a Chromium trace: for the renderer's main
 * thread and each worker, wall time inside tasks, the CPU time of those tasks (the rest is waiting
 * for a core), and the self time by trace event (script, style, layout, paint, GC, ...). Opt-in
 * (FUNCDECK_BENCH_TRACE names a directory), since tracing itself costs frames.
 */
export interface ThreadSummary {
  thread: string;
  tasks: number;
  /** Sum of top-level task durations (ms of wall time). */
  busyMs: number;
  /** Sum of the same tasks' thread (CPU) time. */
  cpuMs: number;
  /** Longest top-level tasks (wall ms, CPU ms). */
  longest: Array<{ wallMs: number; cpuMs: number; top: string }>;
  /** Self time (wall ms) by event name, largest first. */
  selfByEvent: Array<[string, number]>;
  /** Self time (ms) by JS function from the sampled profile, largest first. */
  selfByFunction: Array<[string, number]>;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { cpuProfile?: CpuProfileChunk; timeDeltas?: number[] } };
  id?: string;
}
interface CpuProfileChunk {
  nodes?: Array<{ id: number; callFrame: { functionName: string; url?: string; lineNumber: number }; parent?: number }>;
  samples?: number[];
}

const TOP_LEVEL = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

export async function traceDuring<T>(page: Page, label: string, body: () => Promise<T>): Promise<T> {
  const dir = process.env.FUNCDECK_BENCH_TRACE;
  if (!dir) return body();
  fs.mkdirSync(dir, { recursive: true });
  const file = `${dir}/${label}.trace.json`;
  const browser = page.context().browser()!;
  await browser.startTracing(page, {
    path: file,
    // The JS sampler costs the page a lot of frames itself: only with FUNCDECK_BENCH_TRACE_JS=1.
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'blink', ...(process.env.FUNCDECK_BENCH_TRACE_JS ? ['v8.execute', 'disabled-by-default-v8.cpu_profiler'] : [])],
  });
  try {
    return await body();
  } finally {
    await browser.stopTracing();
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
    const summary = summarizeTrace(trace);
    const cpu = cpuByThread(trace);
    fs.writeFileSync(`${dir}/${label}.summary.json`, JSON.stringify({ threads: summary, cpu }, null, 1));
    console.log(`[trace ${label}] CPU ms by thread: ${cpu.slice(0, 10).map((c) => `${c.process}/${c.thread} ${c.cpuMs.toFixed(0)}`).join(', ')}`);
    for (const t of summary.filter((x) => x.tasks > 5)) {
      console.log(
        `[trace ${label}] ${t.thread}: ${t.tasks} tasks, busy ${t.busyMs.toFixed(0)} ms wall / ${t.cpuMs.toFixed(0)} ms CPU; ` +
          `longest ${t.longest.slice(0, 5).map((l) => `${l.wallMs.toFixed(0)}/${l.cpuMs.toFixed(0)} (${l.top})`).join(', ')}\n` +
          `   self by event: ${t.selfByEvent.slice(0, 14).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')}\n` +
          `   self by function: ${t.selfByFunction.slice(0, 14).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')}`,
      );
    }
  }
}

/** Summaries of the renderer main thread and dedicated workers of the traced page. */
export function summarizeTrace(trace: { traceEvents: TraceEvent[] }): ThreadSummary[] {
  const events = trace.traceEvents;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  const wanted = [...names].filter(([, n]) => n === 'CrRendererMain' || n.startsWith('DedicatedWorker'));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (!wanted.some(([w]) => w === k)) continue;
    let list = byThread.get(k);
    if (!list) byThread.set(k, (list = []));
    list.push(e);
  }
  const profiles = cpuProfiles(events);
  const out: ThreadSummary[] = [];
  for (const [k, name] of wanted) {
    const list = byThread.get(k) ?? [];
    const complete = list.filter((e) => e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    // Self time: each event's duration less its direct children's.
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; end: number; child: number }> = [];
    const close = (upTo: number) => {
      while (stack.length && stack.at(-1)!.end <= upTo) {
        const s = stack.pop()!;
        self.set(s.e.name, (self.get(s.e.name) ?? 0) + (s.e.dur! - s.child) / 1000);
      }
    };
    let tasks = 0;
    let busy = 0;
    let cpu = 0;
    const longest: ThreadSummary['longest'] = [];
    for (const e of complete) {
      close(e.ts);
      const parent = stack.at(-1);
      if (parent) parent.child += e.dur!;
      else if (TOP_LEVEL.has(e.name)) {
        tasks++;
        busy += e.dur! / 1000;
        cpu += (e.tdur ?? e.dur!) / 1000;
        longest.push({ wallMs: e.dur! / 1000, cpuMs: (e.tdur ?? e.dur!) / 1000, top: '' });
      }
      stack.push({ e, end: e.ts + e.dur!, child: 0 });
    }
    close(Infinity);
    // Name each long task by its largest direct child.
    const tops = complete.filter((e) => TOP_LEVEL.has(e.name));
    for (const l of longest) {
      const task = tops.find((t) => t.dur! / 1000 === l.wallMs);
      if (!task) continue;
      const kids = complete.filter((c) => c !== task && c.ts >= task.ts && c.ts + c.dur! <= task.ts + task.dur!);
      kids.sort((a, b) => b.dur! - a.dur!);
      l.top = kids.slice(0, 2).map((c) => `${c.name} ${(c.dur! / 1000).toFixed(0)}`).join(' > ');
    }
    longest.sort((a, b) => b.wallMs - a.wallMs);
    out.push({
      thread: name,
      tasks,
      busyMs: busy,
      cpuMs: cpu,
      longest: longest.slice(0, 10),
      selfByEvent: [...self].sort((a, b) => b[1] - a[1]).slice(0, 25),
      selfByFunction: profiles.get(k) ?? [],
    });
  }
  return out;
}

/** CPU time (and wall time) in top-level trace events, per thread of every process, largest first. */
export function cpuByThread(trace: { traceEvents: TraceEvent[] }): Array<{ process: string; thread: string; cpuMs: number; wallMs: number }> {
  const threads = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name' && e.args?.name) threads.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.name === 'process_name' && e.args?.name) processes.set(e.pid, e.args.name);
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || typeof e.dur !== 'number') continue;
    const k = `${e.pid}:${e.tid}`;
    let list = byThread.get(k);
    if (!list) byThread.set(k, (list = []));
    list.push(e);
  }
  const out: Array<{ process: string; thread: string; cpuMs: number; wallMs: number }> = [];
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    let end = -Infinity;
    let cpu = 0;
    let wall = 0;
    for (const e of list) {
      if (e.ts < end) continue; // nested in the previous top-level event
      end = e.ts + e.dur!;
      wall += e.dur! / 1000;
      cpu += (e.tdur ?? e.dur!) / 1000;
    }
    const pid = Number(k.split(':')[0]);
    out.push({ process: processes.get(pid) ?? String(pid), thread: threads.get(k) ?? k, cpuMs: cpu, wallMs: wall });
  }
  return out.sort((a, b) => b.cpuMs - a.cpuMs);
}

/** Self time by JS function from the trace's sampled CPU profile, per thread. */
function cpuProfiles(events: TraceEvent[]): Map<string, Array<[string, number]>> {
  const threadOf = new Map<string, string>();
  for (const e of events) if (e.name === 'Profile' && e.id) threadOf.set(e.id, `${e.pid}:${e.tid}`);
  const nodes = new Map<string, Map<number, string>>();
  const self = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const k = threadOf.get(e.id) ?? `${e.pid}:${e.tid}`;
    const data = e.args?.data;
    let n = nodes.get(k);
    if (!n) nodes.set(k, (n = new Map()));
    for (const node of data?.cpuProfile?.nodes ?? []) {
      const f = node.callFrame;
      n.set(node.id, `${f.functionName || '(anon)'}@${(f.url ?? '').split('/').pop()}:${f.lineNumber}`);
    }
    let s = self.get(k);
    if (!s) self.set(k, (s = new Map()));
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    samples.forEach((id, i) => {
      const fn = n.get(id) ?? `#${id}`;
      s.set(fn, (s.get(fn) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
    });
  }
  const out = new Map<string, Array<[string, number]>>();
  for (const [k, s] of self) out.set(k, [...s].sort((a, b) => b[1] - a[1]).slice(0, 25));
  return out;
}
