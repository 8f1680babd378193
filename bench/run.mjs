#!/usr/bin/env node
// `npm run bench`: the speed goals, each measured beside a baseline in the same run (kubectl doing the
// same thing on the same cluster). Cases live in bench/cases; each records figures through
// bench/support/figures.ts; bench/ui holds the UI's, run by Playwright. Ends with a table, also
// written to bench/results/latest.md.
//   npm run bench                  every case (the memory soak takes 10 min; FUNCDECK_BENCH_SOAK_SECONDS shortens it)
//   npm run bench -- log-flood     cases whose file name contains "log-flood"
//   npm run bench -- ui            the UI's, in Chromium (or one file: ui-first-paint, ui-function-list, ui-logs-and-switch)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterSession } from '../test/support/cluster-session.mjs';
import { runStep } from '../test/support/steps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const figuresFile = path.join(resultsDir, 'figures.jsonl');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const keepCluster = process.argv.includes('--keep-cluster') || process.env.FUNCDECK_KEEP_CLUSTER === '1';

const run = (label, command, argv, env) => runStep(root, label, command, argv, env);

// The baselines call kubectl: the dev cluster's own build when kubectl is not on PATH.
const devKubectl = spawnSync('bash', ['test/devcluster/cluster.sh', 'kubectl-path'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const PATH = devKubectl && fs.existsSync(devKubectl) ? `${process.env.PATH}:${path.dirname(devKubectl)}` : process.env.PATH;

fs.mkdirSync(resultsDir, { recursive: true });
fs.rmSync(figuresFile, { force: true });
const cluster = clusterSession(root, run);
let ok = cluster.ready;
const env = { PATH, FUNCDECK_BENCH_OUT: figuresFile };
// Filters starting with "ui" pick UI benchmark files (bench/ui/ui-*.bench.ts); the others, engine cases.
const uiFilters = filters.filter((f) => f.startsWith('ui'));
const engineFilters = filters.filter((f) => !f.startsWith('ui'));
if (ok && (filters.length === 0 || engineFilters.length > 0)) {
  ok = run('engine benchmarks', 'npx', ['--no-install', 'vitest', 'run', '--project', 'bench', ...engineFilters], env);
}
// The UI's goals, in Chromium against browser mode: needs the built app.
if (ok && (filters.length === 0 || uiFilters.length > 0)) {
  ok = run('build', 'npm', ['run', '--silent', 'build']) && run('UI benchmarks', 'npx', ['--no-install', 'playwright', 'test', '-c', 'bench/ui/playwright.config.ts', ...uiFilters], env);
}
cluster.release(keepCluster);

const figures = fs.existsSync(figuresFile) ? fs.readFileSync(figuresFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const table = [
  `Benchmarks, ${new Date().toISOString()} on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  '',
  '| figure | Funcdeck | baseline (same run) | target |',
  '| --- | --- | --- | --- |',
  ...figures.map((f) => `| ${f.name} | ${f.valueText} | ${f.baseline ? `${f.baselineText} (${f.baseline.name})` : '-'} | ${f.target ? `${f.target.text}: ${f.target.met ? 'met' : '**missed**'}` : '-'} |`),
].join('\n');
fs.writeFileSync(path.join(resultsDir, 'latest.md'), table + '\n');
console.log('\n' + table);
const missed = figures.filter((f) => f.target && !f.target.met).length;
console.log(`\n${figures.length} figures, ${missed} targets missed${ok ? '' : '; a benchmark failed to run'}`);
process.exit(ok ? 0 : 1);
