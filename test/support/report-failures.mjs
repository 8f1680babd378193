// The failed tests named in a test reporter's JSON report, one line each ("where › name: first line of
// the error"), so `npm test` can repeat them after its summary and the tail of a CI log says what failed.
import path from 'node:path';

// eslint-disable-next-line no-control-regex -- strips the reporters' ANSI colour codes
const firstLine = (text) => String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n')[0].slice(0, 300);

/** From vitest's JSON reporter; paths relative to `root`. */
export function vitestFailures(report, root) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name ?? '');
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) out.push(`${rel} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A file that failed to load, or in a hook, has no failed test to name.
    if (file.status === 'failed' && failed.length === 0) out.push(`${rel}: ${firstLine(file.message)}`);
  }
  return out;
}

/** From Playwright's JSON reporter: tests whose outcome was unexpected, with their last attempt's error. */
export function playwrightFailures(report) {
  const out = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = t.results?.at(-1);
        out.push(`${spec.file}:${spec.line} › ${spec.title}: ${firstLine(last?.error?.message ?? last?.status)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  return out;
}

/** From the dev cluster lifecycle test's output: its `  FAIL - ` lines. */
export function lifecycleFailures(text) {
  return text
    .split('\n')
    .filter((line) => line.startsWith('  FAIL - '))
    .map((line) => `test/devcluster/lifecycle-test.sh › ${line.slice('  FAIL - '.length)}`);
}
