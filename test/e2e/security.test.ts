import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { captureFailures, fixture, openEditorPage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';
import type { HookGlobal } from './support/hook-types.js';

/** The browser mode's front door: token, cookie, origin, and a socket that survives garbage. */

type Upgrade = { kind: 'open'; ws: WebSocket } | { kind: 'rejected'; status: number };

describe('browser-mode security', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('security', () => ui?.page);
  let wsUrl: string;
  let cookie: string;

  /** Open the editor's socket as some other program could, with the given Origin and cookie. */
  function connect(opts: { origin: string; cookie?: string }): Promise<Upgrade> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { origin: opts.origin, headers: opts.cookie ? { Cookie: opts.cookie } : {} });
      ws.once('open', () => resolve({ kind: 'open', ws }));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ kind: 'rejected', status: res.statusCode ?? 0 });
        res.resume();
        ws.terminate();
      });
      ws.once('error', (e) => reject(e));
    });
  }

  /** Send one frame; resolve with the reply, or with the close code if the server hangs up. */
  function exchange(ws: WebSocket, frame: string | Buffer): Promise<{ reply?: unknown; closed?: number }> {
    return new Promise((resolve) => {
      ws.once('message', (data) => resolve({ reply: JSON.parse(data.toString()) }));
      ws.once('close', (code) => resolve({ closed: code }));
      ws.send(frame);
    });
  }

  beforeAll(async () => {
    h = await startHarness('security');
    wsUrl = `${h.editor.origin.replace(/^http/, 'ws')}/rpc`;
    cookie = `adstudio_token_${new URL(h.editor.origin).port}=${h.editor.token}`;
    ui = await openEditorPage(h.browser, h.editor, { asUser: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('without the token the page is 401 with a hint to use the printed link', async () => {
    for (const path of ['/', '/?test=1', '/?token=wrong-token-wrong-token', '/index.html']) {
      const res = await fetch(`${h.editor.origin}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain('?token=');
    }
    // And in a browser that never saw the link: no editor, just the explanation.
    const stranger = await h.browser.newContext();
    const page = await stranger.newPage();
    const res = await page.goto(`${h.editor.origin}/?test=1`);
    expect(res?.status()).toBe(401);
    expect(await page.locator('body').innerText()).toContain('접근 링크');
    expect(await page.evaluate(() => !!(globalThis as HookGlobal).__adstudioTest)).toBe(false);
    await snap(page, 'security-01-no-token');
    await stranger.close();
  });

  it('the printed link logs the browser in and takes the token out of the address bar', async () => {
    // `ui` opened h.editor.url as a person would.
    expect(ui.page.url()).toBe(`${h.editor.origin}/`);
    const cookies = await ui.context.cookies();
    expect(cookies.find((c) => c.value === h.editor.token)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('a WebSocket from a foreign origin is refused even with the right cookie; without the cookie too', async () => {
    expect(await connect({ origin: 'http://evil.example', cookie })).toEqual({ kind: 'rejected', status: 403 });
    expect(await connect({ origin: 'http://127.0.0.1:1', cookie })).toEqual({ kind: 'rejected', status: 403 });
    expect(await connect({ origin: h.editor.origin })).toEqual({ kind: 'rejected', status: 401 });
    // Control: the same request from the editor's own origin is let in.
    const ok = await connect({ origin: h.editor.origin, cookie });
    expect(ok.kind).toBe('open');
    if (ok.kind === 'open') ok.ws.close();
  });

  it('a Host header other than the loopback address is refused (DNS rebinding)', async () => {
    const port = Number(new URL(h.editor.origin).port);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/?token=${h.editor.token}`, headers: { Host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('malformed messages are answered or cut off, and the server and the open page carry on', async () => {
    const open = async () => {
      const c = await connect({ origin: h.editor.origin, cookie });
      if (c.kind !== 'open') throw new Error(`socket refused: ${c.status}`);
      return c.ws;
    };
    // Not a bridge message at all: that connection is closed with "policy violation".
    expect(await exchange(await open(), 'this is not json {')).toEqual({ closed: 1008 });
    expect(await exchange(await open(), Buffer.from([0, 0, 0, 255, 1, 2, 3]))).toEqual({ closed: 1008 });
    expect(await exchange(await open(), JSON.stringify([1, 2, 3]))).toEqual({ closed: 1008 });

    // Well-formed but wrong requests get an error answer and the socket stays usable.
    const ws = await open();
    const unknown = await exchange(ws, JSON.stringify({ id: 1, channel: 'deleteEverything', payload: {} }));
    expect(unknown.reply).toMatchObject({ id: 1, result: { ok: false, error: { code: 'bad-request' } } });
    const badPayload = await exchange(ws, JSON.stringify({ id: 2, channel: 'startInpaint', payload: { image: 42, mask: '../../etc/passwd' } }));
    expect(badPayload.reply).toMatchObject({ id: 2, result: { ok: false, error: { code: 'bad-request' } } });
    const fine = await exchange(ws, JSON.stringify({ id: 3, channel: 'getAppInfo' }));
    expect(fine.reply).toMatchObject({ id: 3, result: { ok: true } });
    ws.close();

    expect(h.editor.proc.exitCode).toBeNull();
    // The page that was open all along is still connected and still does real work.
    const { page } = ui;
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    await page.getByTestId('open-image-input').setInputFiles(fixture('product-banana.png'));
    await page.getByTestId('layer-image').waitFor();
    expect(await page.getByTestId('document-title').innerText()).toContain('product-banana');
    expect(await page.getByTestId('status-size').innerText()).toMatch(/\d+ × \d+/);
    // A real round trip to the server: the settings dialog lists the engine's erase methods.
    await page.getByTestId('settings').click();
    const methods = page.getByTestId('inpaint-method-select');
    await expect.poll(async () => ((await methods.isEnabled()) ? methods.locator('option').count() : 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect((await methods.locator('option').allInnerTexts()).join(' ')).toMatch(/telea/i);
    await snap(page, 'security-02-still-working');
    await page.keyboard.press('Escape');
    expect(ui.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
