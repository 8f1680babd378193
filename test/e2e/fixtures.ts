import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { testCluster } from '../support/cluster-target';
import { noPermissionKubeconfig } from '../support/no-permission-user';
import { printedUrl } from './server-process';

/** 'dev-cluster-detected': the dev cluster without FUNCDECK_IMAGE_* (the runtime images come from detection, as for a new user). */
/**
 * 'dev-cluster-twice': the dev cluster under two context names (funcdeck-dev and funcdeck-dev-b), so
 * switching between two reachable contexts can be driven. 'hanging-plugin': 'two-contexts' plus a
 * context whose exec credential plugin never answers.
 */
export type KubeconfigKind = 'two-contexts' | 'dev-cluster' | 'dev-cluster-detected' | 'dev-cluster-twice' | 'hanging-plugin' | 'none' | 'unreachable' | 'no-permission';

/** The second name 'dev-cluster-twice' gives the dev cluster's context. */
export const SECOND_DEV_CONTEXT = 'funcdeck-dev-b';

export interface RunningApp {
  url: string;
  origin: string;
  port: number;
  token: string;
  home: string;
  dataDir: string;
  kubeconfigPath: string | null;
  /** Stops and starts the web server with the same home and data dir (an "app restart"). */
  restart(): Promise<void>;
}

// ESM: there is no __dirname, so derive it from this module's URL.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifactsDir = path.join(repoRoot, 'test', 'artifacts');

function twoContexts(): string {
  // Two contexts on closed loopback ports: enough to list, never contacted successfully.
  return `apiVersion: v1
kind: Config
current-context: kind-alpha
clusters:
- name: kind-alpha
  cluster: { server: "https://127.0.0.1:1" }
- name: minikube
  cluster: { server: "https://127.0.0.1:2" }
users:
- name: kind-alpha
  user: { token: e2e-a }
- name: minikube
  user: { token: e2e-b }
contexts:
- name: kind-alpha
  context: { cluster: kind-alpha, user: kind-alpha }
- name: minikube
  context: { cluster: minikube, user: minikube, namespace: apps }
`;
}

async function writeKubeconfig(kind: KubeconfigKind, home: string): Promise<{ path: string | null; env: Record<string, string> }> {
  if (kind === 'none') return { path: null, env: {} };
  if (kind === 'no-permission') {
    const file = path.join(home, 'kubeconfig.yaml');
    fs.writeFileSync(file, await noPermissionKubeconfig(testCluster()));
    return { path: file, env: {} };
  }
  if (kind === 'dev-cluster-detected') {
    const cluster = testCluster();
    return { path: cluster.kubeconfigPath, env: { FUNCDECK_E2E_CONTEXT: cluster.context } };
  }
  if (kind === 'dev-cluster-twice') {
    const cluster = testCluster();
    const doc = YAML.parse(fs.readFileSync(cluster.kubeconfigPath, 'utf8')) as { contexts: Array<{ name: string; context: unknown }> };
    const own = doc.contexts.find((c) => c.name === cluster.context)!;
    doc.contexts.push({ name: SECOND_DEV_CONTEXT, context: own.context });
    const file = path.join(home, 'kubeconfig.yaml');
    fs.writeFileSync(file, YAML.stringify(doc));
    return { path: file, env: { FUNCDECK_IMAGE_NODE: cluster.images.nodejs, FUNCDECK_IMAGE_PYTHON: cluster.images.python } };
  }
  if (kind === 'hanging-plugin') {
    // The plugin sleeps a minute (never longer, so nothing outlives the test run by much) and prints nothing.
    const file = path.join(home, 'kubeconfig.yaml');
    const doc = YAML.parse(twoContexts()) as { clusters: unknown[]; users: unknown[]; contexts: unknown[] };
    doc.contexts.push({ name: 'stuck-login', context: { cluster: 'stuck', user: 'stuck-user' } });
    doc.clusters.push({ name: 'stuck', cluster: { server: 'https://127.0.0.1:3' } });
    doc.users.push({ name: 'stuck-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sleep', args: ['60'], interactiveMode: 'Never' } } });
    fs.writeFileSync(file, YAML.stringify(doc));
    return { path: file, env: {} };
  }
  if (kind === 'dev-cluster') {
    const cluster = testCluster();
    return {
      path: cluster.kubeconfigPath,
      env: {
        FUNCDECK_IMAGE_NODE: cluster.images.nodejs,
        FUNCDECK_IMAGE_PYTHON: cluster.images.python,
        FUNCDECK_E2E_CONTEXT: cluster.context,
      },
    };
  }
  const file = path.join(home, 'kubeconfig.yaml');
  const text = kind === 'two-contexts' ? twoContexts() : twoContexts().replace(/minikube/g, 'kind-beta');
  fs.writeFileSync(file, text);
  return { path: file, env: {} };
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'electron', 'web.mjs'), '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url } = await printedUrl(child, 'the web server');
  return { child, url };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * `app`: browser mode started for one test with a throwaway HOME, data dir and kubeconfig, so no
 * test ever reads or writes the developer's own ~/.kube/config. The page is opened at the app's URL.
 */
export const test = base.extend<{ kubeconfig: KubeconfigKind; imagesInSettings: boolean; app: RunningApp }>({
  kubeconfig: ['two-contexts', { option: true }],
  /** The dev cluster's runtime images as stored settings instead of env overrides, so Settings can change them. */
  imagesInSettings: [false, { option: true }],
  app: async ({ kubeconfig, imagesInSettings, page }, use) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-e2e-home-'));
    const dataDir = path.join(home, 'data');
    const kc = await writeKubeconfig(kubeconfig, home);
    if (imagesInSettings && kc.env.FUNCDECK_IMAGE_NODE) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ defaultImages: { nodejs: kc.env.FUNCDECK_IMAGE_NODE, python: kc.env.FUNCDECK_IMAGE_PYTHON } }));
      delete kc.env.FUNCDECK_IMAGE_NODE;
      delete kc.env.FUNCDECK_IMAGE_PYTHON;
    }
    const token = crypto.randomBytes(16).toString('hex');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      FUNCDECK_DATA_DIR: dataDir,
      FUNCDECK_WEB_TOKEN: token,
      ...kc.env,
      ...(kc.path ? { KUBECONFIG: kc.path } : {}),
    };
    let server = await startServer(env);
    const app: RunningApp = {
      url: server.url,
      origin: new URL(server.url).origin,
      port: Number(new URL(server.url).port),
      token,
      home,
      dataDir,
      kubeconfigPath: kc.path,
      async restart() {
        await stopServer(server.child);
        server = await startServer(env);
        app.url = server.url;
        app.origin = new URL(server.url).origin;
        app.port = Number(new URL(server.url).port);
      },
    };
    await page.goto(app.url);
    await use(app);
    await stopServer(server.child);
    fs.rmSync(home, { recursive: true, force: true });
  },
});

export { expect };

/**
 * Every screen a story visits: checked with axe in light and dark (no serious or critical violation
 * of WCAG 2.1 A/AA), and saved as `<name>-light.png` and `<name>-dark.png` under test/artifacts.
 * The page's own theme is restored afterwards.
 */
export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const before = await page.evaluate(() => ({ pinned: document.documentElement.dataset.theme ?? null, dark: matchMedia('(prefers-color-scheme: dark)').matches }));
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // A theme pinned in Settings wins over the system's; pin the one being checked for the moment.
      if (before.pinned) await page.evaluate((t) => (document.documentElement.dataset.theme = t), scheme);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await expectNoSeriousA11yViolations(page, `${name} (${scheme})`);
      await page.screenshot({ path: path.join(artifactsDir, `${name}-${scheme}.png`), fullPage: false });
    }
  } finally {
    await page.emulateMedia({ colorScheme: before.dark ? 'dark' : 'light' });
    if (before.pinned) await page.evaluate((t) => (document.documentElement.dataset.theme = t), before.pinned);
  }
}

/** axe-core on the page as it is: no serious or critical violation of WCAG 2.1 A/AA. */
export async function expectNoSeriousA11yViolations(page: Page, where: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 3).join(' ') ?? ''}`).join('\n')}`);
  expect(report, `axe on ${where}`).toEqual([]);
}
