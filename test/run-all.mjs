#!/usr/bin/env node
// `npm test`: every test, in order, with one closing summary line.
//   typecheck + lint → unit → dev cluster up (unless FUNCDECK_TEST_CONTEXT names one) → its lifecycle
//   test → integration
//   → build → e2e → dev cluster down (only if this run started it, and not with --keep-cluster).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterSession, devClusterRunning } from './support/cluster-session.mjs';
import { lifecycleFailures, playwrightFailures, vitestFailures } from './support/report-failures.mjs';
import { runStep } from './support/steps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const args = new Set(process.argv.slice(2));
const keepCluster = args.has('--keep-cluster') || process.env.FUNCDECK_KEEP_CLUSTER === '1';
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const stepFailures = [];
// Each failed test's name and the first line of its error, repeated after the summary, so the tail of
// a CI log alone says what failed.
const failedTests = [];

fs.mkdirSync(results, { recursive: true });

function run(label, command, argv) {
  const ok = runStep(root, label, command, argv);
  if (!ok) stepFailures.push(label);
  return ok;
}

function countVitest(file) {
  if (!fs.existsSync(file)) return false;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  failedTests.push(...vitestFailures(report, root));
  return true;
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return false;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { stats } = report;
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
  failedTests.push(...playwrightFailures(report));
  return true;
}

const npx = (bin, ...rest) => ['npx', ['--no-install', bin, ...rest]];

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);

for (const f of ['unit.json', 'integration.json', 'e2e.json']) fs.rmSync(path.join(results, f), { force: true });
run('unit tests', ...npx('vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'unit.json')}`));
if (!countVitest(path.join(results, 'unit.json'))) stepFailures.push('unit tests (no report)');

// A cluster for integration and e2e: any named context, else our dev cluster.
const cluster = clusterSession(root, run);
let clusterReady = cluster.ready;

// The dev cluster's own scripts: up twice, a killed component in status, down (nothing left behind),
// down twice, up again. It restarts the cluster, so it runs before anything else uses it, and
// leaves it up. `down` wipes the cluster's state, so a cluster that was already running (a
// developer's, with their functions on it) is left alone outside CI.
const devCluster = clusterReady && !process.env.FUNCDECK_TEST_CONTEXT;
const lifecycleWanted = devCluster && (cluster.started || process.env.CI === 'true');
if (devCluster && !lifecycleWanted) {
  console.log('\n━━ dev cluster lifecycle: skipped (the dev cluster was already running; run bash test/devcluster/lifecycle-test.sh to test it)');
  totals.skipped += 1;
}
if (lifecycleWanted) {
  const log = path.join(results, 'devcluster-lifecycle.txt');
  fs.rmSync(log, { force: true });
  const ok = run('dev cluster lifecycle', 'bash', ['-c', `set -o pipefail; bash test/devcluster/lifecycle-test.sh | tee '${log}'`]);
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  const m = /# (\d+) passed, (\d+) failed/.exec(text);
  totals.passed += Number(m?.[1] ?? 0);
  totals.failed += Number(m?.[2] ?? 0);
  failedTests.push(...lifecycleFailures(text));
  if (!ok || !m) {
    if (!m) stepFailures.push('dev cluster lifecycle (no summary)');
    clusterReady = devClusterRunning(root);
  }
}

if (clusterReady) {
  run('integration tests', ...npx('vitest', 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'integration.json')}`));
  if (!countVitest(path.join(results, 'integration.json'))) stepFailures.push('integration tests (no report)');
}

if (run('build', 'npm', ['run', '--silent', 'build']) && clusterReady) {
  run('e2e tests', ...npx('playwright', 'test', '-c', 'test/e2e/playwright.config.ts'));
  if (!countPlaywright(path.join(results, 'e2e.json'))) stepFailures.push('e2e tests (no report)');
}

cluster.release(keepCluster);

const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nnpm test finished in ${minutes} min.${stepFailures.length ? ` Failed steps: ${stepFailures.join(', ')}.` : ''}`);
if (failedTests.length) console.log(`Failed tests:\n${failedTests.map((t) => `  ✗ ${t}`).join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(stepFailures.length === 0 && totals.failed === 0 && totals.passed > 0 ? 0 : 1);
