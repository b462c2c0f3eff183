import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer } from '../../../../main/cli/commands/serve.js';
import type { InpaintEngine } from '../../../../main/engine/inpaint-engine.js';

const engine: InpaintEngine = {
  methods: () => [{ id: 'telea', label: 'Telea', isDefault: true }],
  inpaint: () => Promise.reject(new Error('not used')),
  close: async () => {},
};
const TOKEN = 'test-token-0123456789abcdef';

describe('adstudio serve (minimal engine server)', () => {
  let server: EngineServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('answers /health without a token and everything else only with it', async () => {
    server = await startEngineServer({ host: '127.0.0.1', port: 0, token: TOKEN, engine, version: '9.9.9' });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', engine: 'embedded', version: '9.9.9' });

    const anon = await fetch(`${server.url}/v1/info`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(`${server.url}/v1/info`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);

    const info = await fetch(`${server.url}/v1/info`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ engine: 'embedded', methods: [{ id: 'telea' }] });
    expect((await fetch(`${server.url}/v1/nope?token=${TOKEN}`)).status).toBe(404);
    expect((await fetch(`${server.url}/nope`)).status).toBe(401);
  });

  it('refuses foreign Host headers on a loopback bind (DNS rebinding)', async () => {
    server = await startEngineServer({ host: '127.0.0.1', port: 0, token: TOKEN, engine, version: '1' });
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server!.port, path: '/health', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('says plainly when the port is taken', async () => {
    server = await startEngineServer({ host: '127.0.0.1', port: 0, token: TOKEN, engine, version: '1' });
    await expect(startEngineServer({ host: '127.0.0.1', port: server.port, token: TOKEN, engine, version: '1' })).rejects.toThrow(`port ${server.port} on 127.0.0.1 is already in use`);
  });
});
