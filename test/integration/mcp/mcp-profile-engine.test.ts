/**
 * `adstudio mcp --engine profile:adstudio-engine` against the real Docker daemon: the adstudio engine
 * container (the real image, built from this tree's bundles) is started the way the app starts it;
 * then an MCP client spawns `adstudio mcp` with nothing but the profile's name — no URL, no token —
 * and the erase runs inside the container, on files in its bound workspace, intermediates included.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngines } from '../../../main/adapters/docker-engines.js';
import { engineSettingsFile, saveEngineSettings } from '../../../main/core/containers/engine-settings.js';
import type { EnginesPort } from '../../../main/core/engines/engines-port.js';
import { fixture } from '../../support/fixtures.js';
import { checkDaemon, ensureLocalBase, freePort, mustHaveDocker, removeContainers } from '../containers/docker-support.js';
import { buildEngineBundles, repoRoot } from '../containers/engine-bundle.js';
import { changedPixels, expectNoImageData, jsonOf, rawPixels, textOf } from './mcp-support.js';

const run = promisify(execFile);
const daemon = await checkDaemon();
if (!daemon.ok && !mustHaveDocker()) {
  console.warn(`\n!!! SKIPPING test/integration/mcp/mcp-profile-engine: ${daemon.reason}.\n`);
}

const RUN = `mcp-profile-${process.pid}`;
const NAME = 'adstudio-engine-mcp-it';
const IMAGE = 'adstudio-engine:it-mcp'; // its own tag: container test files run in parallel and must not rebuild each other's image

describe.skipIf(!daemon.ok && !mustHaveDocker())('adstudio mcp --engine profile:adstudio-engine (real Docker daemon)', () => {
  let dataDir: string;
  let distDir: string;
  let workspace: string;
  let allowed: string;
  let engines: EnginesPort | undefined;
  let client: Client | null = null;
  let stderr = '';
  const results: CallToolResult[] = [];

  /** The CLI from this tree's own bundle (not the shared dist/), as `adstudio <args>`. */
  const cliArgs = (args: string[]) => [join(distDir, 'cli.mjs'), ...args];
  const env = () => ({ ...(process.env as Record<string, string>), ADSTUDIO_HOME: dataDir, ADSTUDIO_ALLOWED_ROOTS: '', ADSTUDIO_ENGINE_TOKEN: '' });
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client!.callTool({ name, arguments: args }, undefined, { timeout: 180_000 })) as CallToolResult;
    results.push(r);
    return r;
  };

  beforeAll(async () => {
    if (!daemon.ok) throw new Error(`CI must provide a Docker daemon: ${daemon.reason}`);
    await removeContainers(daemon.docker, { names: [NAME] });
    await ensureLocalBase();
    dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'adstudio-mcp-profile-it-')));
    distDir = await buildEngineBundles(join(repoRoot, '.tmp', `containers-${RUN}`));
    const port = await freePort();
    await saveEngineSettings(engineSettingsFile(dataDir), {
      profiles: { 'adstudio-engine': { image: IMAGE, containerName: NAME, hostPort: port, containerPort: port, volumeHostPath: join(dataDir, 'models'), healthTimeoutSec: 60 } },
    });
    // The app (or `adstudio engine start`) starts the engine; the MCP server only finds it.
    engines = await createDockerEngines({ dataDir, version: 'it', packageRoot: repoRoot, distDir, env: process.env, log: () => undefined });
    expect((await engines!.start('adstudio-engine')).state).toBe('healthy');
    workspace = join(dataDir, 'engine-workspace');
    allowed = join(workspace, 'ads');
    mkdirSync(allowed, { recursive: true });
    copyFileSync(fixture('ad-apples-korean-text.png'), join(allowed, 'ad.png'));
  }, 400_000);

  afterAll(async () => {
    await client?.close();
    await engines?.close();
    if (daemon.ok) await removeContainers(daemon.docker, { names: [NAME] });
    rmSync(join(repoRoot, '.tmp', `containers-${RUN}`), { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the container by its profile and says so; engine_status is the container\'s engine', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: cliArgs(['mcp', '--engine', 'profile:adstudio-engine', '--allow', allowed, '--jobs-dir', join(dataDir, 'mcp-jobs')]),
      cwd: repoRoot,
      env: env(),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    client = new Client({ name: 'adstudio-profile-it', version: '1.0.0' });
    await client.connect(transport);
    const status = jsonOf(await call('engine_status', {}));
    expect(status).toMatchObject({ engine: { name: 'adstudio-serve', simulated: false }, health: { status: 'healthy' } });
    expect(stderr).toMatch(/engine: .*\(profile adstudio-engine, container [0-9a-f]{12}\) at http:\/\/127\.0\.0\.1:\d+, workspace /);
    expect(stderr).toContain(workspace);
  }, 60_000);

  it('erase_text without a mask: detection and erase run in the container; the mask found there is kept; nothing outside it changes', async () => {
    const r = await call('erase_text', { image: join(allowed, 'ad.png'), out: join(allowed, 'erased.png'), mask_out: join(allowed, 'mask.png'), wait_seconds: 170 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(jsonOf(r)).toMatchObject({ status: 'done', image: join(allowed, 'erased.png'), mask: join(allowed, 'mask.png') });
    const diff = await changedPixels(join(allowed, 'ad.png'), join(allowed, 'erased.png'), join(allowed, 'mask.png'));
    expect(diff.maskArea).toBeGreaterThan(1000);
    expect(diff.outside).toBe(0);
    expect(diff.inside).toBeGreaterThan(diff.maskArea * 0.3);
    const erased = await rawPixels(join(allowed, 'erased.png'), 3);
    expect([erased.width, erased.height]).toEqual([1024, 1072]);
    // The detector's boxes (an intermediate) were written by the container in the workspace's work
    // folder — the only place it can write — and removed after the job.
    await expect.poll(() => readdirSync(join(workspace, '.adstudio-mcp-work')).length, { timeout: 10_000 }).toBe(0);
  }, 200_000);

  it('no result carried image data', () => {
    expectNoImageData(results);
  });

  it('an allowed folder outside the workspace is refused at start, naming the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'adstudio-outside-'));
    try {
      const e = await run(process.execPath, cliArgs(['mcp', '--engine', 'profile:adstudio-engine', '--allow', outside]), { cwd: repoRoot, env: env(), timeout: 60_000 }).then(
        () => null,
        (x: { code?: number; stderr?: string }) => x,
      );
      expect(e?.code).toBe(1);
      expect(e?.stderr).toContain(`the engine reads and writes only inside its workspace ${workspace}; allowed folder ${outside} is outside it`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  }, 90_000);

  it('with the container stopped, it refuses to start and says how to start the engine', async () => {
    await client?.close();
    client = null;
    await engines!.stop('adstudio-engine');
    const e = await run(process.execPath, cliArgs(['mcp', '--engine', 'profile:adstudio-engine', '--allow', allowed]), { cwd: repoRoot, env: env(), timeout: 60_000 }).then(
      () => null,
      (x: { code?: number; stderr?: string }) => x,
    );
    expect(e?.code).toBe(1);
    expect(e?.stderr).toMatch(/the adstudio-engine engine is not running and healthy \(stopped\)\. Start it with "adstudio engine start --profile adstudio-engine"/);
  }, 90_000);
});
