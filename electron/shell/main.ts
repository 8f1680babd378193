import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session as electronSession, shell } from 'electron';
import { createEngine, defaultEngineOptions } from '../engine';
import { openDataDir } from '../engine/store/open-data-dir';
import { openSession, type Session } from '../transport/session';
import { contentSecurityPolicy } from '../security/csp';
import { isExternalLink } from './links';
import { loadWindowState, saveWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', 'renderer');
const APP_ORIGIN = 'app://funcdeck';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

async function start() {
  // One window per user: a second launch hands over to the first (which comes to the front) and quits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  await app.whenReady();
  const options = defaultEngineOptions('electron', app.getVersion());
  // A browser-mode engine (npm run web) may hold the same data dir: say so rather than share it.
  let opened: Awaited<ReturnType<typeof openDataDir>>;
  try {
    opened = await openDataDir(options.dataDir, 'electron');
  } catch (e) {
    dialog.showErrorBox('Funcdeck cannot start', (e as Error).message);
    app.exit(1);
    return;
  }
  const engine = createEngine(options);

  // The built renderer, served from disk over app://, with the same CSP as browser mode.
  protocol.handle('app', async (request) => {
    const { pathname } = new URL(request.url);
    const file = path.resolve(rendererDir, '.' + path.posix.normalize(decodeURIComponent(pathname)));
    const target = file.startsWith(rendererDir + path.sep) && path.extname(file) ? file : path.join(rendererDir, 'index.html');
    const response = await net.fetch(`file://${target}`);
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', contentSecurityPolicy());
    return new Response(response.body, { status: response.status, headers });
  });
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const bounds = loadWindowState(app.getPath('userData'));
  win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Funcdeck',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(app.getPath('userData'), { ...win.getNormalBounds(), maximized: win.isMaximized() }));

  // No navigation away from the app, no new windows; http(s) links go to the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) {
      event.preventDefault();
      if (isExternalLink(url)) void shell.openExternal(url);
    }
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  // IPC adapter: one session per window, messages only from our own top frame.
  let session: Session | null = openSession(engine, (message) => {
    if (!win.isDestroyed()) win.webContents.send('funcdeck:message', JSON.stringify(message));
  });
  ipcMain.on('funcdeck:message', (event, text: unknown) => {
    const fromOurFrame = event.sender === win.webContents && event.senderFrame?.url.startsWith(APP_ORIGIN) && event.senderFrame === win.webContents.mainFrame;
    if (!fromOurFrame || typeof text !== 'string') return;
    void session?.receive(text);
  });
  win.webContents.on('did-start-navigation', (details) => {
    // A reload starts the UI afresh: end the old page's streams.
    if (details.isMainFrame && !details.isSameDocument && session) {
      session.close();
      session = openSession(engine, (message) => {
        if (!win.isDestroyed()) win.webContents.send('funcdeck:message', JSON.stringify(message));
      });
    }
  });

  await win.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', async () => {
    session?.close();
    await engine.dispose();
    await opened.lock.release();
    app.quit();
  });
}

start().catch((e: Error) => {
  console.error(`Funcdeck could not start: ${e.message}`);
  app.exit(1);
});
