import fs from 'node:fs';
import path from 'node:path';
import { test, expect, saveScreenshot } from './fixtures';

// Issue 8 §5: damaged local files are kept aside and the UI says so, instead of silently starting afresh.
test.use({ kubeconfig: 'two-contexts' });

test('a damaged settings file and draft are kept aside and named in a notice, light and dark', async ({ app, page }) => {
  // The app has written its data dir; damage two of its files and start it again.
  fs.mkdirSync(path.join(app.dataDir, 'drafts'), { recursive: true });
  fs.writeFileSync(path.join(app.dataDir, 'settings.json'), '{"theme": "dark", "revisionsToKeep": ');
  fs.writeFileSync(path.join(app.dataDir, 'drafts', '00000000000000000000000000000000.json'), '{"context": "kind-alpha", "name": "hel');
  await app.restart();
  await page.goto(app.url);

  const notice = page.getByRole('alert', { name: '2 damaged local files were kept aside' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`Settings (${path.join(app.dataDir, 'settings.json')}) was damaged: not valid JSON`);
  await expect(notice).toContainText(`${path.join(app.dataDir, 'settings.json')}.corrupt-`);
  await expect(notice).toContainText('defaults are used');
  await expect(notice).toContainText('A draft (');
  const aside = fs.readdirSync(app.dataDir).filter((f) => f.startsWith('settings.json.corrupt-'));
  expect(aside.length).toBe(1);
  expect(fs.readFileSync(path.join(app.dataDir, aside[0]!), 'utf8')).toBe('{"theme": "dark", "revisionsToKeep": ');
  await saveScreenshot(page, 'ui-store-problems');

  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  // Said once: after another restart with nothing damaged, there is no notice.
  await app.restart();
  await page.goto(app.url);
  await expect(page.getByRole('listbox', { name: 'Cluster contexts' })).toBeVisible();
  await expect(page.getByRole('alert', { name: /damaged local file/ })).toHaveCount(0);
});
