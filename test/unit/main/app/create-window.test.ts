import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMainWindow } from '../../../../main/app/create-window.js';
import type { SessionLike, WebContentsLike, WindowLike } from '../../../../main/app/create-window.js';

type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];

class FakeSession implements SessionLike {
  permissionRequest?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
  permissionCheck?: (wc: unknown, permission: string) => boolean;
  headers?: HeadersListener;
  setPermissionRequestHandler(h: NonNullable<FakeSession['permissionRequest']>) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: NonNullable<FakeSession['permissionCheck']>) {
    this.permissionCheck = h;
  }
  webRequest = { onHeadersReceived: (l: HeadersListener) => void (this.headers = l) };
}

class FakeWebContents extends EventEmitter implements WebContentsLike {
  openHandler?: (details: { url: string }) => { action: 'deny' };
  constructor(readonly session: FakeSession) {
    super();
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = h;
  }
  /** What Electron does: emits the event; true if the page would have navigated. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return !prevented;
  }
}

const created: FakeWindow[] = [];
const session = new FakeSession();
class FakeWindow extends EventEmitter implements WindowLike {
  readonly webContents = new FakeWebContents(session);
  shown = false;
  loaded: string[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    created.push(this);
  }
  show() {
    this.shown = true;
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
}

describe('createMainWindow', () => {
  const win = createMainWindow(FakeWindow, { preloadPath: '/app/dist/preload/index.cjs' });

  it('locks down webPreferences', () => {
    expect(created).toHaveLength(1);
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads the app URL and shows the window only when it is ready', () => {
    expect(win.loaded).toEqual(['app://adstudio/index.html']);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('denies navigation and redirects away from the app, allows staying in it', () => {
    const wc = win.webContents;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'http://127.0.0.1:1234/', 'javascript:alert(1)']) {
      expect(wc.navigate('will-navigate', url), url).toBe(false);
      expect(wc.navigate('will-redirect', url), url).toBe(false);
    }
    expect(wc.navigate('will-navigate', 'app://adstudio/index.html')).toBe(true);
  });

  it('denies window.open and <webview>', () => {
    expect(win.webContents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler?.({ url: 'app://adstudio/index.html' })).toEqual({ action: 'deny' });
    let prevented = false;
    win.webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      session.permissionRequest?.(win.webContents, p, (granted) => answers.push(granted));
      expect(session.permissionCheck?.(win.webContents, p)).toBe(false);
    }
    expect(answers).toEqual([false, false, false, false, false]);
  });

  it('puts the strict CSP on responses, replacing any other CSP', () => {
    let out: Record<string, string | string[]> | undefined;
    session.headers?.({ responseHeaders: { 'content-security-policy': ["default-src *"], 'x-other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out?.['x-other']).toEqual(['1']);
    expect(out?.['content-security-policy']).toBeUndefined();
    expect(String(out?.['Content-Security-Policy'])).toContain("script-src 'self'");
    expect(String(out?.['Content-Security-Policy'])).toContain("object-src 'none'");
  });
});
