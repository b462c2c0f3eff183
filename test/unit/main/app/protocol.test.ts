import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_DEFINITION, createAppRequestHandler, registerAppScheme, serveAppProtocol } from '../../../../main/app/protocol.js';
import { makeStaticTree } from '../server/server-helpers.js';

const bytes = Buffer.from('stored image');
const hash = createHash('sha256').update(bytes).digest('hex');
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  const tree = await makeStaticTree();
  await writeFile(join(tree.root, 'asset.webp'), bytes);
  handle = createAppRequestHandler({
    staticDir: tree.staticDir,
    services: { assetFile: async (h) => (h === hash ? { path: join(tree.root, 'asset.webp'), mime: 'image/webp' } : null) },
  });
});

describe('app:// protocol', () => {
  it('registers app as a privileged standard, secure scheme', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void registered.push(...schemes) });
    expect(registered).toEqual([APP_SCHEME_DEFINITION]);
    expect(APP_SCHEME_DEFINITION).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    const handled: string[] = [];
    serveAppProtocol({ handle: (scheme) => void handled.push(scheme) }, { staticDir: '/x', services: { assetFile: async () => null } });
    expect(handled).toEqual(['app']);
  });

  it('serves the renderer with the CSP, like browser mode', async () => {
    const res = await handle(new Request('app://adstudio/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>adstudio</title>');
    const js = await handle(new Request('app://adstudio/static/index-Ab12.js'));
    expect(await js.text()).toBe('console.log("app")');
  });

  it('streams stored assets at /assets/<hash>', async () => {
    const res = await handle(new Request(`app://adstudio/assets/${hash}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await handle(new Request(`app://adstudio/assets/${'f'.repeat(64)}`))).status).toBe(404);
  });

  it.each(['app://adstudio/%2e%2e/secret.txt', 'app://adstudio/assets/..%2f..%2fsecret.txt', 'app://adstudio/.env', 'app://adstudio/sub/', 'app://adstudio/link.txt', 'app://other/index.html'])(
    'never serves %s',
    async (url) => {
      const res = await handle(new Request(url));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('SECRET');
    },
  );

  it('answers only GET and HEAD', async () => {
    expect((await handle(new Request('app://adstudio/', { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handle(new Request('app://adstudio/', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
