/**
 * `adstudio mcp --http`: streamable HTTP on 127.0.0.1 behind a token, with Host and Origin checks;
 * the SDK's StreamableHTTPClientTransport talks to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.js';
import { bin, buildCli, expectNoImageData, root } from './mcp-support.js';

const TOKEN = 'mcp-test-token-0123456789abcdef';
let base: string;
let allowed: string;
let child: ChildProcess;
let url: string;
let stderr = '';
let exit: Promise<number | null>;

beforeAll(async () => {
  buildCli();
  base = mkdtempSync(join(tmpdir(), 'adstudio-mcp-http-'));
  allowed = join(base, 'allowed');
  mkdirSync(allowed);
  copyFileSync(fixture('ad-apples-korean-text.png'), join(allowed, 'ad.png'));
  child = spawn(process.execPath, [bin, 'mcp', '--http', '--port', '0', '--token', TOKEN, '--allow', allowed, '--jobs-dir', join(base, 'jobs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^adstudio mcp: (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`adstudio mcp --http exited: ${stderr}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exit;
  rmSync(base, { recursive: true, force: true });
});

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** A raw POST, with full control over Host, Origin and Authorization. */
function post(headers: Record<string, string>, body = initialize): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('adstudio mcp --http', () => {
  it('answers 401 without the token or with a wrong one', async () => {
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).toMatch(/needs its access token/);
    expect((await post({ authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await post({ authorization: TOKEN })).status).toBe(401);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or a foreign Origin (a web page)', async () => {
    const host = await post({ authorization: `Bearer ${TOKEN}`, host: `evil.example:${new URL(url).port}` });
    expect(host.status).toBe(403);
    const origin = await post({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    const otherPort = await post({ authorization: `Bearer ${TOKEN}`, origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
  });

  it('refuses an oversized body (tool calls carry paths, not files)', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const r = await post({ authorization: `Bearer ${TOKEN}` }, big).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    // The server answers 413 and closes; a client still sending may see the connection reset instead.
    expect([413, -1]).toContain(r.status);
    if (r.status === 413) expect(r.body).toMatch(/tool calls carry file paths, not files/);
  });

  it('refuses a request that is not an initialize without a session', async () => {
    const r = await post({ authorization: `Bearer ${TOKEN}` }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(r.status).toBe(400);
  });

  it('works with the SDK\'s StreamableHTTPClientTransport and the token', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('erase_text');
      const results: CallToolResult[] = [];
      const progress: number[] = [];
      const detect = (await client.callTool(
        { name: 'detect_text', arguments: { image: join(allowed, 'ad.png'), out: join(allowed, 'mask.png'), wait_seconds: 120 } },
        undefined,
        { timeout: 120_000, onprogress: (p) => progress.push(p.progress) },
      )) as CallToolResult;
      results.push(detect);
      expect(detect.isError).toBeFalsy();
      expect(JSON.parse((detect.content[0] as { text: string }).text)).toMatchObject({ status: 'done', mask: join(allowed, 'mask.png') });
      const refused = (await client.callTool({ name: 'detect_text', arguments: { image: '/etc/hostname', out: join(allowed, 'm.png') } })) as CallToolResult;
      results.push(refused);
      expect(refused.isError).toBe(true);
      expectNoImageData(results);
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/adstudio mcp: stopping…/);
  });
});
