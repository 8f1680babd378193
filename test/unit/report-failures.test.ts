import { describe, expect, it } from 'vitest';
import { lifecycleFailures, playwrightFailures, vitestFailures } from '../support/report-failures.mjs';

// Report shapes as vitest's and Playwright's JSON reporters write them (fields trimmed to those read),
// taken from real reports of deliberately failing tests.
describe('failed tests named from reporter JSON', () => {
  it('vitest: each failed test with its file and the first line of its error, without colour codes; a file that failed to load', () => {
    const report = {
      testResults: [
        {
          name: '/repo/test/integration/logs-follow.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [
            { status: 'passed', fullName: 'logs follows', failureMessages: [] },
            { status: 'failed', fullName: 'logs resumes', failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at stack'] },
          ],
        },
        { name: '/repo/test/integration/broken.test.ts', status: 'failed', message: 'Failed to load url ./missing\nmore', assertionResults: [] },
        { name: '/repo/test/integration/fine.test.ts', status: 'passed', message: '', assertionResults: [{ status: 'passed', fullName: 'ok', failureMessages: [] }] },
      ],
    };
    expect(vitestFailures(report, '/repo')).toEqual([
      'test/integration/logs-follow.test.ts › logs resumes: AssertionError: expected 1 to be 2',
      'test/integration/broken.test.ts: Failed to load url ./missing',
    ]);
  });

  it('Playwright: unexpected outcomes in nested suites, with the last attempt’s error; flaky and passed ones are not failures', () => {
    const report = {
      suites: [
        {
          specs: [{ file: 'a.spec.ts', line: 3, title: 'passes', tests: [{ status: 'expected', results: [{ status: 'passed' }] }] }],
          suites: [
            {
              specs: [
                { file: 'a.spec.ts', line: 9, title: 'fails', tests: [{ status: 'unexpected', results: [{ status: 'failed', error: { message: 'Error: one is two\n\nExpected: 2' } }] }] },
                { file: 'a.spec.ts', line: 12, title: 'retried', tests: [{ status: 'flaky', results: [{ status: 'failed' }, { status: 'passed' }] }] },
                { file: 'a.spec.ts', line: 15, title: 'hangs', tests: [{ status: 'unexpected', results: [{ status: 'timedOut' }] }] },
              ],
            },
          ],
        },
      ],
    };
    expect(playwrightFailures(report)).toEqual(['a.spec.ts:9 › fails: Error: one is two', 'a.spec.ts:15 › hangs: timedOut']);
  });

  it('the lifecycle test: its FAIL lines, not its ok lines or headings', () => {
    const out = '# up again\n  ok   - second up succeeds\n  FAIL - second up ran no step\n# 39 passed, 1 failed (the cluster is left up)\n';
    expect(lifecycleFailures(out)).toEqual(['test/devcluster/lifecycle-test.sh › second up ran no step']);
  });
});
