import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./stdio-guard-child.ts', import.meta.url));

describe('MCP on stdio keeps stdout for protocol messages', () => {
  it('sends stray stdout writes (console.log, process.stdout.write) to stderr', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    const send = (m: unknown) => p.stdin.write(`${JSON.stringify(m)}\n`);
    const lines = async (n: number) => {
      for (let i = 0; i < 500 && out.split('\n').filter(Boolean).length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    await lines(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'noisy', arguments: {} } });
    await lines(2);
    p.stdin.end();
    expect(await exited).toBe(0);
    const messages = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; result?: { content: Array<{ text: string }> } });
    expect(messages.map((m) => m.id)).toEqual([1, 2]);
    expect(messages[1]!.result!.content[0]!.text).toBe('quiet answer');
    expect(out).not.toContain('NOISE');
    expect(err).toContain('NOISE from console.log');
    expect(err).toContain('NOISE from process.stdout.write');
    expect(err).toContain('child: stdio closed');
  }, 30_000);
});
