import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSpec, specHash } from '../../../../main/core/containers/container-spec.js';
import { defaultEngineSettings, parseEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { engineVariant, ensureImage } from '../../../../main/core/containers/ensure-image.js';
import { ADSTUDIO_ENGINE, findProfile, resolveProfiles, type EngineProfile } from '../../../../main/core/containers/profiles.js';
import type { BuildImageSpec, DaemonInfo } from '../../../../main/core/containers/runtime.js';
import { FakeContainerRuntime } from './fake-runtime.js';

/**
 * The adstudio engine on a GPU: engines.json asks for it (profiles["adstudio-engine"].gpu), the
 * container then gets the device request and ADSTUDIO_LAMA_DEVICE=auto, and the manager builds the
 * Dockerfile's GPU stage. Not built here (no network, no GPU): the spec, the build request and the
 * Dockerfile's stages are checked.
 */
const root = new URL('../../../../', import.meta.url).pathname;
const ctx = { version: '9.9.9', platform: 'linux' as const, home: '/home/x', workspaceHostPath: '/data/engine-workspace' };

function engineProfile(override?: Record<string, unknown>): EngineProfile {
  const settings = override ? parseEngineSettings({ profiles: { [ADSTUDIO_ENGINE]: override } }) : defaultEngineSettings();
  return findProfile(resolveProfiles(settings, ctx), ADSTUDIO_ENGINE);
}

function specOf(profile: EngineProfile) {
  return containerSpec({ profile, network: 'publish', token: 'secret', hostEnv: {}, version: '9.9.9', extraLabels: {} }).spec;
}

describe('the adstudio-engine profile with the GPU', () => {
  it('carries the GPU device request and ADSTUDIO_LAMA_DEVICE=auto into the container', () => {
    const gpu = specOf(engineProfile({ gpu: true }));
    expect(gpu.deviceRequests).toEqual([{ driver: 'nvidia', count: 1, capabilities: [['gpu']] }]);
    expect(gpu.env).toMatchObject({ ADSTUDIO_LAMA_DEVICE: 'auto', HF_HOME: '/models', ADSTUDIO_WORKSPACE: '/workspace', ADSTUDIO_TOKEN: 'secret' });
    expect(engineProfile({ gpu: true }).title).toMatch(/GPU/);
  });

  it('stays CPU-only by default: no device request, LaMa device left to its default', () => {
    const cpu = specOf(engineProfile());
    expect(cpu.deviceRequests).toEqual([]);
    expect(cpu.env.ADSTUDIO_LAMA_DEVICE).toBeUndefined();
  });

  it('an explicit env override in engines.json wins, and turning the GPU on recreates the container', () => {
    expect(specOf(engineProfile({ gpu: true, env: { ADSTUDIO_LAMA_DEVICE: 'cuda' } })).env.ADSTUDIO_LAMA_DEVICE).toBe('cuda');
    expect(specHash(engineProfile({ gpu: true }), 'publish')).not.toBe(specHash(engineProfile(), 'publish'));
  });
});

describe('building the engine image: CPU stage by default, the GPU stage when asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-engine-gpu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A minimal source folder: our Dockerfile, a package with no dependencies, a built CLI.
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(root, 'Dockerfile')));
  writeFileSync(join(dir, 'package.json'), '{"name":"x","version":"1.0.0"}');
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"":{"name":"x"}}}');
  mkdirSync(join(dir, 'dist', 'main'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'main', 'cli.mjs'), 'export {};\n');
  const info: DaemonInfo = { serverVersion: '28', os: 'linux', architecture: process.arch === 'arm64' ? 'aarch64' : 'x86_64', runtimes: ['runc'], canPublishPorts: true };

  async function build(rt: FakeContainerRuntime, profile: EngineProfile): Promise<BuildImageSpec[]> {
    const specs: BuildImageSpec[] = [];
    const real = rt.buildImage.bind(rt);
    rt.buildImage = (spec, onProgress) => {
      specs.push(spec);
      return real(spec, onProgress);
    };
    await ensureImage({ runtime: rt, profile, info, packageRoot: dir, localBaseImage: null, onPhase: () => undefined, onProgress: () => undefined });
    return specs;
  }

  it('CPU: target "engine", ORT_CUDA=0; GPU: the CUDA stage, ORT_CUDA=1, and a different source hash (so it rebuilds)', async () => {
    const rt = new FakeContainerRuntime();
    const [cpu] = await build(rt, engineProfile());
    expect(cpu).toMatchObject({ target: 'engine', buildArgs: { ORT_CUDA: '0', BASE_IMAGE: 'node:20-bookworm-slim' } });
    expect(await build(rt, engineProfile())).toEqual([]); // current: not built again
    const [gpu] = await build(rt, engineProfile({ gpu: true }));
    expect(gpu).toMatchObject({ target: 'engine-ort-cuda-1', buildArgs: { ORT_CUDA: '1' } });
    expect(gpu!.buildArgs.ADSTUDIO_SOURCE_HASH).not.toBe(cpu!.buildArgs.ADSTUDIO_SOURCE_HASH);
  });

  it("the Dockerfile: no RUN in the default stages, the GPU stage runs onnxruntime-node's own install script (exec form)", () => {
    const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const stages = new Map<string, string[]>();
    let current = '';
    for (const l of lines) {
      const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
      if (from) {
        current = from[2] ?? `final:${from[1]}`;
        stages.set(current, []);
      } else if (current) stages.get(current)!.push(l);
    }
    expect(text).toMatch(/^ARG ORT_CUDA=0$/m);
    expect([...stages.keys()]).toEqual(['engine', 'engine-ort-cuda-1', 'engine-ort-cuda-0', 'final:engine-ort-cuda-${ORT_CUDA}']);
    // The stages the manager builds exist.
    expect(stages.has(engineVariant({ gpu: false }).target) && stages.has(engineVariant({ gpu: true }).target)).toBe(true);
    for (const name of ['engine', 'engine-ort-cuda-0', 'final:engine-ort-cuda-${ORT_CUDA}']) expect(stages.get(name)!.some((l) => /^RUN\b/.test(l)), name).toBe(false);
    const cuda = stages.get('engine-ort-cuda-1')!;
    expect(cuda).toContain('ENV ADSTUDIO_LAMA_DEVICE=auto');
    const run = cuda.find((l) => l.startsWith('RUN '))!;
    // Exec form (valid JSON): the local base image has no shell.
    const argv = JSON.parse(run.slice(4)) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    expect(argv[2]).toContain("process.env.ORT_CUDA !== '1'");
    expect(argv[2]).toContain("ONNXRUNTIME_NODE_INSTALL = 'cuda12'");
    expect(argv[2]).toContain("require('/app/node_modules/onnxruntime-node/script/install.js')");
  });
});
