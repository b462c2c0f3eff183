import type { BrowserWindowConstructorOptions } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../server/security-headers.js';
import { APP_INDEX_URL, isAppUrl } from './app-url.js';

/*
 * The main window with locked-down webPreferences and guards. Electron objects are passed in as the
 * small structural types below, so tests can hand in fakes and capture what was configured.
 */

interface PreventableEvent {
  preventDefault(): void;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  readonly session: SessionLike;
}

export interface WindowLike {
  readonly webContents: WebContentsLike;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export type BrowserWindowConstructor<W extends WindowLike> = new (options: BrowserWindowConstructorOptions) => W;

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'adstudio',
    backgroundColor: '#1f2125',
    // Shown on ready-to-show: no white flash before the first paint.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      // Dropping an image on the window must reach the editor, not replace the page.
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

export interface CreateMainWindowOptions {
  /** Absolute path of dist/preload/index.cjs. */
  preloadPath: string;
  url?: string;
}

export function createMainWindow<W extends WindowLike>(BrowserWindow: BrowserWindowConstructor<W>, options: CreateMainWindowOptions): W {
  const win = new BrowserWindow(mainWindowOptions(options.preloadPath));
  hardenWebContents(win.webContents);
  hardenSession(win.webContents.session);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.url ?? APP_INDEX_URL);
  return win;
}

/** No navigation away from the app, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContentsLike): void {
  const stayInApp = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

const hardenedSessions = new WeakSet<SessionLike>();

/** Deny every permission (camera, notifications, …) and put the CSP on every response. */
export function hardenSession(session: SessionLike): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}
