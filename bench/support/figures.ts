import fs from 'node:fs';
import path from 'node:path';

/**
 * One measured figure beside the baseline measured in the same run. Bench cases record figures
 * here; bench/run.mjs collects them (one JSON line each) and prints the table.
 */
export interface Figure {
  /** What was measured, e.g. "invoke overhead". */
  name: string;
  unit: 'ms' | 'MB' | 'lines' | 'lines/s';
  /** Funcdeck's value. */
  value: number;
  /** What it is compared with, measured in the same run (e.g. "kubectl proxy"), and its value. */
  baseline?: { name: string; value: number };
  /** The goal, in words, and whether it was met. */
  target?: { text: string; met: boolean };
  /** Samples, spread, anything a reader needs to trust the number. */
  detail?: string;
}

const out = process.env.FUNCDECK_BENCH_OUT ?? path.resolve(import.meta.dirname, '..', 'results', 'figures.jsonl');

export function recordFigure(f: Figure): void {
  const valueText = `${round(f.value)} ${f.unit}`;
  const baselineText = f.baseline ? `${round(f.baseline.value)} ${f.unit}` : undefined;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // The texts go along so bench/run.mjs prints the table exactly as here.
  fs.appendFileSync(out, JSON.stringify({ ...f, valueText, baselineText }) + '\n');
  const base = f.baseline ? `; ${f.baseline.name} ${baselineText}` : '';
  const target = f.target ? ` [target ${f.target.text}: ${f.target.met ? 'met' : 'MISSED'}]` : '';
  console.log(`[bench] ${f.name}: ${valueText}${base}${target}${f.detail ? ` (${f.detail})` : ''}`);
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100);
export const median = (xs: number[]) => quantile(xs, 0.5);
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}
