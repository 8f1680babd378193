import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * What a local runtime server costs the machine, read from Linux's /proc: its process tree
 * (the server and every process it forked, e.g. Python's worker processes), their CPU time and
 * the server's threads. For tests that check stuck work is really stopped, not just answered.
 */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  pid: number;
  ppid: number;
  state: string;
  cpuTicks: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  // The command name sits in parentheses and may hold spaces: fields are counted after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0]!, ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

/** The process and all its live descendants (zombies left out: they hold no CPU or memory). */
export function processTree(root: number): Stat[] {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is Stat => s !== null && s.state !== 'Z');
  const tree: Stat[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const self = all.find((s) => s.pid === pid);
    if (self) tree.push(self);
    for (const child of all.filter((s) => s.ppid === pid)) queue.push(child.pid);
  }
  return tree;
}

export function threadCount(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
  }
}

/** CPU seconds the process tree spends during the next `ms` milliseconds (a spinning core reads near ms/1000). */
export async function cpuSecondsOver(root: number, ms: number): Promise<number> {
  const ticks = () => processTree(root).reduce((sum, s) => sum + s.cpuTicks, 0);
  const before = ticks();
  await new Promise((r) => setTimeout(r, ms));
  return Math.max(0, ticks() - before) / CLOCK_TICKS;
}
