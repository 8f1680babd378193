import https from 'node:https';
import { test, expect, saveScreenshot } from './fixtures';
import { testCluster } from '../support/cluster-target';
import { deleteNamespace, deployAndWait, freshNamespace, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 12: a streamed answer shows while it arrives; CloudEvents from the invoke panel in both
// modes; the cron trigger form with Run now and its last runs. Light and dark screenshots.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

// Streams a first chunk, then waits for /ack (sent by the test once it sees that chunk on screen).
const HANDLER = `const fs = require('fs');
module.exports.main = async (event, context) => {
  const req = event.extensions.request;
  const res = event.extensions.response;
  if (req.path === '/ack') { fs.writeFileSync('/tmp/ack', ''); return 'acked'; }
  if (req.path === '/reset') { fs.rmSync('/tmp/ack', { force: true }); return 'reset'; }
  if (req.path === '/stream') {
    res.set('content-type', 'text/plain');
    res.write('first chunk\\n');
    for (let i = 0; i < 400 && !fs.existsSync('/tmp/ack'); i++) await new Promise((r) => setTimeout(r, 50));
    res.end('last chunk\\n');
    return;
  }
  return { type: event['event-type'], source: event['event-namespace'], id: event['event-id'], data: event.data };
};
`;

/** A GET to the function through the API server's service proxy, from the test itself (not the UI). */
async function direct(namespace: string, fn: string, path: string): Promise<string> {
  const kc = testCluster().kc;
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const url = `${kc.getCurrentCluster()!.server}/api/v1/namespaces/${namespace}/services/${fn}:http/proxy${path}`;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ...opts, timeout: 20_000 }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
}

async function darkTheme(page: import('@playwright/test').Page) {
  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('combobox', { name: 'Type a command' }).fill('theme dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
}

test('a streamed answer shows while it arrives; CloudEvents in both modes; a cron trigger runs now', async ({ app, page }) => {
  test.setTimeout(360_000);
  void app;
  ns = await freshNamespace(page);
  const name = uniqueName('events');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await replaceFileText(page, HANDLER);
  expect(await deployAndWait(page)).toBe(1);

  // Streaming: the first chunk is on screen while the answer is still coming.
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Path').fill('/stream');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  const body = page.getByLabel('Response body');
  await expect(body).toHaveText('first chunk', { timeout: 30_000 });
  await expect(body).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('button', { name: 'Sending…' })).toBeDisabled();
  await expect(page.getByRole('status', { name: 'Answer progress' })).toContainText('receiving');
  await saveScreenshot(page, 'ui-invoke-streaming-light');
  expect(await direct(ns, name, '/ack')).toBe('acked');
  await expect(body).toHaveText('first chunk\nlast chunk', { timeout: 30_000 });
  await expect(page.getByLabel('Response status')).toHaveText('200 OK');

  // CloudEvents: a template, structured mode, then binary mode.
  await page.getByLabel('Path').fill('/');
  await page.getByRole('tab', { name: 'CloudEvent' }).click();
  await page.getByRole('checkbox', { name: 'Send as a CloudEvent' }).check();
  await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'Storage object created' });
  await expect(page.getByRole('textbox', { name: 'Event type' })).toHaveValue('com.example.storage.object.created');
  await page.getByRole('combobox', { name: 'Mode' }).selectOption('structured');
  await page.getByRole('textbox', { name: 'Event id' }).fill('evt-structured-1');
  await saveScreenshot(page, 'ui-invoke-cloudevent-light');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await expect(page.getByLabel('Response status')).toHaveText('200 OK', { timeout: 30_000 });
  const structured = JSON.parse((await body.textContent()) ?? '{}') as Record<string, unknown>;
  expect(structured).toMatchObject({ type: 'com.example.storage.object.created', source: '/buckets/uploads', id: 'evt-structured-1', data: { bucket: 'uploads', name: 'photos/cat.png' } });

  await page.getByRole('combobox', { name: 'Mode' }).selectOption('binary');
  await page.getByRole('textbox', { name: 'Event id' }).fill('evt-binary-1');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await expect(body).toContainText('evt-binary-1', { timeout: 30_000 });
  expect(JSON.parse((await body.textContent()) ?? '{}')).toMatchObject({ type: 'com.example.storage.object.created', id: 'evt-binary-1', data: { size: 48213 } });

  // A CloudEvent without a type is not sent; the tab says what is missing.
  await page.getByRole('textbox', { name: 'Event type' }).fill('');
  await expect(page.getByRole('list', { name: 'CloudEvent problems' })).toContainText('Give the event a type');

  // The cron trigger: a schedule checked in words, paused, deployed, then Run now.
  await page.getByRole('tab', { name: 'Settings' }).click();
  const cron = page.getByRole('region', { name: 'Cron trigger' });
  await expect(cron).toContainText('No schedule');
  await cron.getByRole('button', { name: 'Add a schedule' }).click();
  const schedule = cron.getByRole('textbox', { name: 'Schedule' });
  await schedule.fill('61 * * * *');
  await expect(cron.getByRole('alert')).toHaveText('Not a valid schedule: the minute 61 is outside 0-59.');
  await schedule.fill('0 0 1 1 *');
  await expect(schedule).toHaveAccessibleDescription('At 00:00, on day 1 of the month, only in January (cluster time, usually UTC).');
  await cron.getByRole('checkbox', { name: 'Enabled' }).uncheck();
  await cron.getByRole('textbox', { name: 'Payload' }).fill('{"from":"cron"}');
  await expect(cron.getByRole('button', { name: 'Run now' })).toBeDisabled();
  await page.getByRole('tab', { name: 'handler.js' }).click();
  expect(await deployAndWait(page)).toBe(2);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(cron.getByLabel('Deployed trigger')).toContainText('Deployed: 0 0 1 1 * (paused)', { timeout: 30_000 });
  await cron.getByRole('button', { name: 'Run now' }).click();
  await expect(cron.getByRole('status')).toContainText(`Started run ${name}-cron-m`);
  const runs = cron.getByRole('table', { name: 'Last runs' });
  const row = runs.getByRole('row').nth(1);
  await expect(row).toContainText('Run now');
  await expect(row).toContainText('succeeded', { timeout: 120_000 });
  await expect(row).toContainText('HTTP 200 in');
  await expect(row).toContainText('"type":"dev.funcdeck.cron.tick"');
  await expect(row).toContainText('"data":{"from":"cron"}');
  await cron.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'ui-cron-form-light');

  await darkTheme(page);
  await saveScreenshot(page, 'ui-cron-form-dark');
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByRole('tab', { name: /^CloudEvent/ }).click();
  await page.getByRole('textbox', { name: 'Event type' }).fill('com.example.storage.object.created');
  await saveScreenshot(page, 'ui-invoke-cloudevent-dark');
  await page.getByRole('checkbox', { name: 'Send as a CloudEvent' }).uncheck();
  await page.getByLabel('Path').fill('/stream');
  expect(await direct(ns, name, '/reset')).toBe('reset');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await expect(body).toHaveText('first chunk', { timeout: 30_000 });
  await expect(body).toHaveAttribute('aria-busy', 'true');
  await saveScreenshot(page, 'ui-invoke-streaming-dark');
  expect(await direct(ns, name, '/ack')).toBe('acked');
  await expect(body).toHaveText('first chunk\nlast chunk', { timeout: 30_000 });
});
