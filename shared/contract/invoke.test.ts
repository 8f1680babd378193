import { describe, expect, it } from 'vitest';
import { describeIssues } from './errors';
import { invokeCalls } from './invoke';

describe('invoke.send params', () => {
  const params = invokeCalls['invoke.send'].params;
  it('refuse a header value with non-Latin-1 text or a control character, naming the header', () => {
    const bad = params.safeParse({ function: 'hello', headers: [{ name: 'X-Ok', value: 'fine' }, { name: 'X-Name', value: 'Zoë 李' }] });
    expect(bad.success).toBe(false);
    expect(describeIssues(bad.error!)).toEqual([expect.stringMatching(/^headers\.1\.value: The value of header "X-Name" contains "李" \(U\+674E\) at character 5/)]);
    const ctl = params.safeParse({ function: 'hello', headers: [{ name: 'X-Esc', value: '\u001b[31m' }] });
    expect(describeIssues(ctl.error!)).toEqual([expect.stringMatching(/^headers\.0\.value: .*"X-Esc".*control character \(U\+001B\)/)]);
  });
  it('accept Latin-1 values and any text in the query', () => {
    expect(params.safeParse({ function: 'hello', headers: [{ name: 'X-Name', value: 'Zoë' }], query: [{ name: 'q', value: '李 😀' }] }).success).toBe(true);
  });
});
