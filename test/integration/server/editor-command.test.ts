import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire } from '../../../preload/contract/wire.js';

/*
 * The real thing: build (if stale), run `adstudio editor` (and `npm start` in browser mode) as a user would,
 * read the one URL line, log in like a browser, and call the real services over the WebSocket.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const URL_LINE = /^adstudio editor: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43}))$/;

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];
afterEach(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

function launch(args: string[], env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn(process.execPath, args, { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const r = { child, stdout: () => out, stderr: () => err, exited };
  running.push(r);
  return r;
}

async function waitForUrl(r: Running): Promise<{ url: string; port: number; token: string }> {
  await expect.poll(() => r.stdout().includes('\n') || r.child.exitCode !== null, { timeout: 60_000 }).toBe(true);
  const line = r.stdout().split('\n')[0] ?? '';
  const m = URL_LINE.exec(line);
  if (!m) throw new Error(`unexpected stdout ${JSON.stringify(r.stdout())}; stderr: ${r.stderr()}`);
  return { url: m[1] as string, port: Number(m[2]), token: m[3] as string };
}

async function getAppInfoLikeABrowser(url: string, port: number): Promise<unknown> {
  const login = await fetch(url, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await page.text()).toMatch(/<script[^>]+src=/);

  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers: { cookie }, origin: `http://127.0.0.1:${port}` });
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(encodeWire({ id: 1, channel: 'getAppInfo' })));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      resolve((decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as { result: unknown }).result);
      ws.close();
    });
    ws.on('error', reject);
  });
}

async function dirs() {
  const base = await mkdtemp(join(tmpdir(), 'adstudio-editor-cmd-'));
  return { dataDir: join(base, 'data'), projectsDir: join(base, 'projects') };
}

beforeAll(() => {
  // Builds only when dist/ is missing or older than the sources (`npm test` has just built): a
  // rebuild empties dist/renderer, which would pull the page from under tests running alongside.
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
}, 300_000);

describe('adstudio editor (built CLI)', () => {
  it('prints exactly one URL line, serves the real services to an authenticated socket, stops cleanly on SIGTERM', async () => {
    const { dataDir, projectsDir } = await dirs();
    const editor = launch(['dist/main/cli.mjs', 'editor', '--port', '0', '--data-dir', dataDir, '--projects-dir', projectsDir]);
    const { url, port } = await waitForUrl(editor);

    expect(await getAppInfoLikeABrowser(url, port)).toEqual({
      ok: true,
      value: { version, mode: 'browser', osLocale: expect.any(String), platform: process.platform, projectsDir },
    });
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);

    editor.child.kill('SIGTERM');
    expect(await editor.exited).toBe(0);
    expect(editor.stdout().trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails with a clear message when the chosen port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { dataDir, projectsDir } = await dirs();
      const editor = launch(['dist/main/cli.mjs', 'editor', '--port', String(port), '--data-dir', dataDir, '--projects-dir', projectsDir]);
      expect(await editor.exited).toBe(1);
      expect(editor.stderr()).toContain(`port ${port} is already in use on 127.0.0.1`);
      expect(editor.stdout()).toBe('');
    } finally {
      blocker.close();
    }
  });
});

describe('npm start without Electron', () => {
  it('falls back to browser mode, says why on stderr, prints the one URL line, and forwards SIGINT', async () => {
    const { dataDir, projectsDir } = await dirs();
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const start = launch(['scripts/start.mjs', '--data-dir', dataDir, '--projects-dir', projectsDir], env);
    const { url, port } = await waitForUrl(start);
    expect(start.stderr()).toContain('Electron is not available here (');
    expect(start.stderr()).toContain('serving the editor in your browser instead');
    expect(await getAppInfoLikeABrowser(url, port)).toMatchObject({ ok: true, value: { mode: 'browser' } });

    start.child.kill('SIGINT');
    expect(await start.exited).toBe(0);
    expect(start.stdout().trimEnd().split('\n')).toHaveLength(1);
    // The editor child is gone too: its port is free again.
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('adstudio editor remembers its address', () => {
  it('reuses the last port and token after a restart (an open tab reconnects), and moves on when the port is taken', async () => {
    const { dataDir, projectsDir } = await dirs();
    const args = ['dist/main/cli.mjs', 'editor', '--data-dir', dataDir, '--projects-dir', projectsDir];
    const first = launch(args);
    const a = await waitForUrl(first);
    first.child.kill('SIGKILL'); // a crash: no cleanup at all
    await first.exited;

    const second = launch(args);
    const b = await waitForUrl(second);
    expect(b.url).toBe(a.url);
    expect(await getAppInfoLikeABrowser(b.url, b.port)).toMatchObject({ ok: true });
    second.child.kill('SIGTERM');
    await second.exited;

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(a.port, '127.0.0.1', r));
    try {
      const third = launch(args);
      const c = await waitForUrl(third);
      expect(c.port).not.toBe(a.port);
      expect(c.token).toBe(a.token);
      expect(third.stderr()).toContain(`last port ${a.port} is taken`);
      third.child.kill('SIGTERM');
      await third.exited;
    } finally {
      blocker.close();
    }
  });
});
