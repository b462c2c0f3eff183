import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { engineWorkspaceDir } from '../../../../main/core/containers/profiles.js';
import { foldersOutside, openMcpEngine, type McpEngine } from '../../../../main/mcp/mcp-engine.js';
import { resolveJobEndpoint } from '../../../../main/mcp/profile-engine.js';
import { AppError } from '../../../../preload/contract/index.js';
import { freePort } from '../../../support/free-port.js';
import { fakeManager } from '../containers/fake-manager.js';
import { FakeContainerRuntime } from '../containers/fake-runtime.js';
import { startFixture, type Fixture } from '../server/engine-protocol/server-fixture.js';

/**
 * `adstudio mcp --engine profile:<name>`: the engine is found through the app's ContainerManager (here
 * over the fake Docker runtime) — URL from the profile's port, the token from the container's
 * environment, the workspace from the profile — and the engine built from it really talks to an
 * engine-protocol server standing in for the container's `adstudio serve` (in process, same port and
 * token, same workspace folder). The real container: test/integration/mcp/mcp-profile-engine.test.ts.
 */

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(o: { nanococoaPort?: number } = {}) {
  const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'adstudio-mcp-profile-')));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const settings = parseEngineSettings({
    profiles: {
      'adstudio-engine': { hostPort: port, containerPort: port, volumeHostPath: join(dataDir, 'models') },
      nanococoa: { image: 'c0z0c/nanococoa:test', volumeHostPath: join(dataDir, 'hf'), ...(o.nanococoaPort ? { hostPort: o.nanococoaPort } : {}) },
    },
    customProfiles: [{ name: 'plain', image: 'plain/server:1', port: 9100, hostPort: 19100, protocol: 'generic' }],
  });
  const rt = new FakeContainerRuntime();
  rt.hasNvidia = true;
  rt.addImage('adstudio-engine:test');
  rt.addImage('c0z0c/nanococoa:test');
  const { manager } = fakeManager({ settings, dataDir, rt, context: { version: 'test', workspaceHostPath: engineWorkspaceDir(dataDir) } });
  cleanup.push(() => manager.close());
  return { rt, manager, dataDir, port, workspace: engineWorkspaceDir(dataDir) };
}

/** The container's `adstudio serve`: an engine-protocol server on the profile's port with the container's token. */
async function serveAsContainer(s: Awaited<ReturnType<typeof setup>>, containerId: string): Promise<Fixture> {
  const token = s.rt.containers.get(containerId)!.spec!.env.ADSTUDIO_TOKEN!;
  const fixture = await startFixture({ port: s.port, token, workspace: s.workspace });
  cleanup.push(() => fixture.close());
  return fixture;
}

async function open(s: Awaited<ReturnType<typeof setup>>, name: string): Promise<McpEngine> {
  const engine = await openMcpEngine({ spec: `profile:${name}`, dataDir: s.dataDir, version: 'test', env: {}, log: () => undefined, openEngines: async () => s.manager });
  cleanup.push(() => engine.close());
  return engine;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a failure'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('--engine profile:<name> resolves a running container through the engine manager', () => {
  it('adstudio-engine: URL, the container\'s own token and the bound workspace; a stage runs on files in that workspace', async () => {
    const s = await setup();
    const started = await s.manager.start('adstudio-engine');
    await serveAsContainer(s, started.containerId!);

    const endpoint = await resolveJobEndpoint(s.manager, 'adstudio-engine');
    expect(endpoint).toMatchObject({ profile: 'adstudio-engine', protocol: 'adstudio-v1', url: `http://127.0.0.1:${s.port}`, containerId: started.containerId });
    expect(endpoint.token).toBe(s.rt.containers.get(started.containerId!)!.spec!.env.ADSTUDIO_TOKEN);
    expect(endpoint.workspace).toEqual({ hostPath: s.workspace, containerPath: '/workspace' });

    const chosen = await open(s, 'adstudio-engine');
    // Intermediates must go where the container can reach them: the CLI puts them in this workspace.
    expect(chosen).toMatchObject({ remoteFiles: true, workspace: s.workspace });
    expect(chosen.description).toContain(`http://127.0.0.1:${s.port}`);
    // The token works (the server refuses any other) and it is the container's engine that answers.
    expect(await chosen.engine.capabilities()).toMatchObject({ engine: 'adstudio-serve', version: '9.9.9', stages: ['inpaint', 'detect_text'] });

    mkdirSync(join(s.workspace, 'ads'), { recursive: true });
    const input = join(s.workspace, 'ads', 'in.png');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#123456' } }).png().toFile(input);
    const out = join(s.workspace, 'ads', 'out.png');
    const result = await chosen.engine.runStage({ kind: 'inpaint', model: null, inputs: { image: input }, outputs: { image: out }, params: { steps: 1, stepMs: 1 } }, { signal: new AbortController().signal });
    expect(result.outputs.image).toBe(out);
    expect((await sharp(out).metadata()).width).toBe(20);
  });

  it('a stopped or never started engine is refused, naming the command that starts it', async () => {
    const s = await setup();
    const absent = await failure(open(s, 'adstudio-engine'));
    expect(absent.message).toMatch(/the adstudio-engine engine is not running and healthy \(absent\)\. Start it with "adstudio engine start --profile adstudio-engine"/);

    await s.manager.start('adstudio-engine');
    await s.manager.stop('adstudio-engine');
    const again = await failure(resolveJobEndpoint(s.manager, 'adstudio-engine'));
    expect(again.message).toMatch(/not running and healthy \(stopped\)\. Start it with "adstudio engine start --profile adstudio-engine"/);
  });

  it('an engine that stopped behind the manager\'s back (docker kill) is found stopped at once', async () => {
    const s = await setup();
    const started = await s.manager.start('adstudio-engine');
    s.rt.kill(started.containerId!);
    const e = await failure(resolveJobEndpoint(s.manager, 'adstudio-engine'));
    expect(e.message).toMatch(/the adstudio-engine engine is not running and healthy \(error: .+\)/);
    expect(e.message).toContain('adstudio engine start --profile adstudio-engine');
  });

  it('nanococoa: the server for backgrounds and lettering, the embedded engine beside it, files where they are', async () => {
    const nanoPort = await freePort();
    const s = await setup({ nanococoaPort: nanoPort });
    await s.manager.start('nanococoa');
    const chosen = await open(s, 'nanococoa');
    expect(chosen.remoteFiles).toBe(false);
    expect(chosen.workspace).toBeUndefined();
    expect(chosen.description).toContain(`http://127.0.0.1:${nanoPort}`);
    const caps = await chosen.engine.capabilities();
    expect(caps.engine).toBe('nanococoa+embedded');
    expect(caps.stages).toEqual(expect.arrayContaining(['background', 'render_text', 'detect_text', 'inpaint', 'cutout', 'compose']));
  });

  it('unknown and generic profiles are refused with what to use instead', async () => {
    const s = await setup();
    expect((await failure(open(s, 'nope'))).message).toMatch(/There is no engine profile "nope"/);
    const generic = await failure(open(s, 'plain'));
    expect(generic.message).toMatch(/the plain profile's engine \(plain\/server:1\) speaks no protocol adstudio can run jobs on.*takes adstudio-engine, nanococoa/);
    expect((await failure(openMcpEngine({ spec: 'profile:', dataDir: s.dataDir, version: 'test', env: {}, log: () => undefined }))).message).toMatch(/needs the profile's name/);
  });

  it('the manager is closed once the engine is resolved (the MCP server shares the container, not the manager)', async () => {
    const s = await setup();
    await s.manager.start('adstudio-engine');
    let closed = 0;
    const engines = { refresh: (n: string) => s.manager.refresh(n), jobEndpoint: (n: string) => s.manager.jobEndpoint(n), jobProfiles: () => s.manager.jobProfiles(), close: async () => void closed++ };
    const chosen = await openMcpEngine({ spec: 'profile:adstudio-engine', dataDir: s.dataDir, version: 'test', env: {}, log: () => undefined, openEngines: async () => engines });
    cleanup.push(() => chosen.close());
    expect(closed).toBe(1);
    await failure(openMcpEngine({ spec: 'profile:nanococoa', dataDir: s.dataDir, version: 'test', env: {}, log: () => undefined, openEngines: async () => engines }));
    expect(closed).toBe(2);
  });
});

describe('foldersOutside: the allowed folders an engine in a container cannot reach', () => {
  it('compares real paths: a folder inside passes, one outside or a symlink leading out is named', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'adstudio-ws-')));
    cleanup.push(() => rmSync(base, { recursive: true, force: true }));
    const ws = join(base, 'engine-workspace');
    mkdirSync(join(ws, 'ads'), { recursive: true });
    mkdirSync(join(base, 'elsewhere'));
    symlinkSync(join(base, 'elsewhere'), join(ws, 'link-out'));
    symlinkSync(join(ws, 'ads'), join(base, 'link-in'));
    expect(await foldersOutside(ws, [ws, join(ws, 'ads'), join(base, 'link-in')])).toEqual([]);
    expect(await foldersOutside(ws, [join(base, 'elsewhere'), join(ws, 'link-out'), join(ws, 'ads')])).toEqual([join(base, 'elsewhere'), join(ws, 'link-out')]);
  });
});
