import fs from 'node:fs';
import path from 'node:path';
import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, invoke } from './ui-helpers';

// Issue 12: a kubeless Function imported from pasted YAML (and from a file), reviewed as a draft,
// deployed and invoked; then exported as manifests and as a Knative Service.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

const FIXTURES = path.join(import.meta.dirname, '../fixtures/kubeless');

const pasted = (name: string) => `${fs.readFileSync(path.join(FIXTURES, 'nodejs-function.yaml'), 'utf8').replace('name: hello', `name: ${name}\n  labels:\n    stream: orders`)}
---
apiVersion: kubeless.io/v1beta1
kind: CronJobTrigger
metadata:
  name: ${name}-tick
spec:
  function-name: ${name}
  schedule: "*/15 * * * *"
---
apiVersion: kubeless.io/v1beta1
kind: KafkaTrigger
metadata:
  name: orders
spec:
  functionSelector:
    matchLabels:
      stream: orders
  topic: orders
`;

test('import a kubeless Function → review the draft → deploy → invoke → export', async ({ app, page }) => {
  test.setTimeout(300_000);
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');
  ns = await freshNamespace(page);
  const name = `kl-${Date.now().toString(36).slice(-5)}`;

  // From the palette, as from the sidebar's Import… button.
  await expect(page.getByRole('button', { name: 'Import kubeless functions' })).toBeVisible();
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('import kubeless');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Import kubeless functions' });
  await expect(dialog).toBeVisible();
  // This cluster has no kubeless CRDs: the dialog says so and offers file and paste.
  await expect(dialog.getByText(/no kubeless CRDs/)).toBeVisible();

  // From a file: kubeless's own example archive, as its CLI writes it.
  const zip = fs.readFileSync(path.join(FIXTURES, 'helloFunctions.tar.gz')).toString('base64');
  await dialog.getByLabel('YAML file with kubeless Functions (and their triggers)').setInputFiles({
    name: 'functions.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(`apiVersion: kubeless.io/v1beta1\nkind: Function\nmetadata: {name: tarball}\nspec:\n  runtime: nodejs12\n  handler: index.helloGet\n  function-content-type: base64+compressedtar\n  function: ${zip}\n`),
  });
  await expect(dialog.getByRole('article', { name: 'Imported tarball' })).toContainText('nodejs12 → nodejs');

  await dialog.getByRole('radio', { name: 'Pasted YAML' }).check();
  await dialog.getByRole('textbox', { name: 'kubeless YAML (one or more documents)' }).fill(pasted(name));
  await dialog.getByRole('button', { name: 'Read' }).click();
  const card = dialog.getByRole('article', { name: `Imported ${name}` });
  await expect(card).toContainText('kubeless ran this on Node.js 6');
  await expect(card).toContainText(`CronJobTrigger ${name}-tick became its cron trigger`);
  await expect(card.getByRole('listitem').filter({ hasText: 'KafkaTrigger orders (topic orders)' })).toContainText('no Kafka trigger');
  await saveScreenshot(page, 'ui-interop-import');

  await card.getByRole('button', { name: `Open ${name} as a draft` }).click();
  await expect(card.getByRole('button', { name: `${name} opened as a draft` })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toContainText('draft');
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await expect(editorLines(page)).toContainText("return 'Hello World'");

  expect(await deployAndWait(page)).toBe(1);
  expect(await invoke(page)).toBe('Hello World');

  // Export: the manifests Funcdeck applies, then the Knative Service; download and copy.
  await page.getByRole('button', { name: 'Export…' }).click();
  const exp = page.getByRole('dialog', { name: `Export ${name}` });
  const yaml = exp.getByRole('textbox', { name: 'Exported YAML (Kubernetes manifests)' });
  await expect(yaml).toHaveValue(/kind: Deployment/);
  await expect(yaml).toHaveValue(new RegExp(`name: ${name}-cron`));
  const [download] = await Promise.all([page.waitForEvent('download'), exp.getByRole('button', { name: `Download ${name}.yaml` }).click()]);
  expect(download.suggestedFilename()).toBe(`${name}.yaml`);
  expect(fs.readFileSync((await download.path())!, 'utf8')).toContain(`namespace: ${ns}`);
  await exp.getByRole('radio', { name: 'Knative Service' }).check();
  const knative = exp.getByRole('textbox', { name: 'Exported YAML (Knative Service)' });
  await expect(knative).toHaveValue(/apiVersion: serving\.knative\.dev\/v1/);
  await expect(knative).toHaveValue(new RegExp(`revisionName: ${name}-r1\\n\\s+percent: 100`));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await exp.getByRole('button', { name: 'Copy' }).click();
  await expect(exp.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('kind: Service');
  await saveScreenshot(page, 'ui-interop-export');
  await exp.getByRole('button', { name: 'Close' }).click();

  // The same screens in the dark theme.
  await page.keyboard.press('Control+Shift+P');
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('theme dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('Control+Shift+P');
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('export as knative');
  await page.keyboard.press('Enter');
  await expect(exp.getByRole('textbox', { name: 'Exported YAML (Knative Service)' })).toHaveValue(/serving\.knative\.dev/);
  await saveScreenshot(page, 'ui-interop-export-dark');
  await exp.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Import kubeless functions' }).click();
  await dialog.getByRole('radio', { name: 'Pasted YAML' }).check();
  await dialog.getByRole('textbox', { name: 'kubeless YAML (one or more documents)' }).fill(pasted(`${name}-b`));
  await dialog.getByRole('button', { name: 'Read' }).click();
  await expect(dialog.getByRole('article', { name: `Imported ${name}-b` })).toBeVisible();
  await saveScreenshot(page, 'ui-interop-import-dark');
});
