import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { expect } from 'vitest';

export const root = new URL('../../../', import.meta.url).pathname;
export const bin = join(root, 'main/cli/bin.cjs');

/** The CLI as users run it: the built bundle through bin.cjs, built once per run (test/support/build-cli.ts). */
export { buildCli } from '../../support/build-cli.js';

export interface McpSession {
  client: Client;
  stderr: () => string;
  /** Every tool result this session received (for the no-image-data scan). */
  results: CallToolResult[];
  call(name: string, args: Record<string, unknown>, options?: Parameters<Client['callTool']>[2]): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Spawns `adstudio mcp <args>` and connects the SDK's own client over stdio. */
export async function startMcp(args: string[], env: Record<string, string> = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', ...args],
    cwd: root,
    env: { ...(process.env as Record<string, string>), ADSTUDIO_ALLOWED_ROOTS: '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'adstudio-tests', version: '1.0.0' });
  await client.connect(transport);
  const results: CallToolResult[] = [];
  return {
    client,
    stderr: () => stderr,
    results,
    async call(name, args, options) {
      const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000, ...options })) as CallToolResult;
      results.push(result);
      return result;
    },
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  if (!first || first.type !== 'text') throw new Error(`expected a text result, got ${JSON.stringify(result).slice(0, 200)}`);
  return first.text;
}

export function jsonOf(result: CallToolResult): Record<string, unknown> {
  return JSON.parse(textOf(result)) as Record<string, unknown>;
}

/** No tool result may carry an image: no content part but text, nothing that looks like encoded image data. */
export function expectNoImageData(results: CallToolResult[]): void {
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) {
    for (const part of r.content) expect(part.type).toBe('text');
    const json = JSON.stringify(r);
    expect(json).not.toMatch(/data:image\/|iVBORw0KGgo|\/9j\/4|;base64,/);
    // No long run of base64 alphabet (paths break runs with "/", "-", "." and "_").
    expect(json).not.toMatch(/[A-Za-z0-9+]{120,}/);
  }
}

export async function rawPixels(path: string, channels: 1 | 3 | 4): Promise<{ data: Buffer; width: number; height: number }> {
  let img = sharp(path);
  if (channels === 1) img = img.greyscale();
  else if (channels === 3) img = img.removeAlpha();
  else img = img.ensureAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Pixels that differ between two same-size RGB images: inside the mask and outside it. */
export async function changedPixels(before: string, after: string, mask: string): Promise<{ inside: number; outside: number; maskArea: number }> {
  const a = await rawPixels(before, 3);
  const b = await rawPixels(after, 3);
  const m = await rawPixels(mask, 1);
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  expect([m.width, m.height]).toEqual([a.width, a.height]);
  let inside = 0;
  let outside = 0;
  let maskArea = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    const masked = (m.data[i] as number) > 0;
    if (masked) maskArea++;
    const differs = a.data[i * 3] !== b.data[i * 3] || a.data[i * 3 + 1] !== b.data[i * 3 + 1] || a.data[i * 3 + 2] !== b.data[i * 3 + 2];
    if (differs) {
      if (masked) inside++;
      else outside++;
    }
  }
  return { inside, outside, maskArea };
}
