import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEngineSettings, parseEngineSettings, saveEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { defaultModelVolume, imageMatches, repository, resolveProfiles } from '../../../../main/core/containers/profiles.js';
import { classifyGpuStartError } from '../../../../main/core/containers/preflight.js';
import { findEngine } from '../../../../main/core/containers/find-container.js';

describe('profiles and engines.json', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('built-ins follow the seed: nanococoa on 8000 with the HF cache, GPU, 60 GB; adstudio-engine from our Dockerfile', () => {
    const [adstudio, nano] = resolveProfiles(parseEngineSettings({}), { version: '1.2.3', platform: 'linux' });
    expect(adstudio).toMatchObject({ name: 'adstudio-engine', image: 'adstudio-engine:1.2.3', gpu: false, source: { kind: 'build', baseImage: 'node:20-bookworm-slim' } });
    expect(nano).toMatchObject({ name: 'nanococoa', containerPort: 8000, healthPath: '/health', gpu: true, minFreeDiskGb: 60 });
    expect(nano!.volume).toEqual({ hostPath: '/opt/huggingface', containerPath: '/root/.cache/huggingface' });
    expect(nano!.knownNames).toEqual(expect.arrayContaining(['nanococoa-aiserver', 'nanococoa_aiserver']));
    expect(nano!.passEnv).toEqual(['HF_TOKEN', 'OPENAI_API_KEY']);
  });

  it('the model folder default is per OS and configurable', () => {
    expect(defaultModelVolume('linux', '/home/u')).toBe('/opt/huggingface');
    expect(defaultModelVolume('darwin', '/Users/u')).toBe('/Users/u/.cache/huggingface');
    const [, nano] = resolveProfiles(parseEngineSettings({ modelVolumeHostPath: '/data/hf' }), { version: '1' });
    expect(nano!.volume!.hostPath).toBe('/data/hf');
  });

  it('custom profiles come from settings; duplicate names and bad values are refused with the field named', () => {
    const profiles = resolveProfiles(parseEngineSettings({ customProfiles: [{ name: 'lama', image: 'ghcr.io/me/lama:2', port: 7000, gpu: true }] }), { version: '1' });
    expect(profiles.map((p) => p.name)).toEqual(['adstudio-engine', 'nanococoa', 'lama']);
    expect(profiles[2]).toMatchObject({ containerName: 'adstudio-lama', hostPort: 7000, source: { kind: 'pull' }, custom: true });
    expect(() => resolveProfiles(parseEngineSettings({ customProfiles: [{ name: 'nanococoa', image: 'x', port: 1 }] }), { version: '1' })).toThrow(/Two engine profiles are named "nanococoa"/);
    expect(() => parseEngineSettings({ customProfiles: [{ name: 'Bad Name', image: 'x', port: 99999 }] })).toThrow(/customProfiles\.0\.name: .*customProfiles\.0\.port/);
  });

  it('a custom adstudio-protocol profile binds the app workspace like the built-in engine (so jobs can run on it); others do not', () => {
    const settings = parseEngineSettings({
      customProfiles: [
        { name: 'gpu-engine', image: 'me/adstudio-engine:gpu', port: 8766, gpu: true },
        { name: 'upscaler', image: 'me/up:1', port: 7000, protocol: 'generic' },
      ],
    });
    const [, , adstudio, generic] = resolveProfiles(settings, { version: '1', workspaceHostPath: '/data/engine-workspace' });
    expect(adstudio!.workspace).toEqual({ hostPath: '/data/engine-workspace', containerPath: '/workspace' });
    expect(adstudio!.env).toMatchObject({ ADSTUDIO_WORKSPACE: '/workspace' });
    expect(generic!.workspace).toBeNull();
    expect(generic!.env).toEqual({});
  });

  it('a damaged engines.json is kept aside and defaults apply; saving is atomic and round-trips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adstudio-es-'));
    dirs.push(dir);
    const file = join(dir, 'engines.json');
    writeFileSync(file, '{ not json');
    const notes: string[] = [];
    const s = await loadEngineSettings(file, (m) => notes.push(m));
    expect(s.onQuit).toBe('leave-running');
    expect(existsSync(`${file}.bad`)).toBe(true);
    expect(notes[0]).toContain('damaged');
    await saveEngineSettings(file, { onQuit: 'stop', profiles: { nanococoa: { hostPort: 8001 } } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ onQuit: 'stop', profiles: { nanococoa: { hostPort: 8001 } } });
    expect((await loadEngineSettings(file)).profiles.nanococoa!.hostPort).toBe(8001);
  });

  it('matches images by repository, ignoring tags, digests and docker.io/library', () => {
    expect(repository('registry:5000/team/app:tag')).toBe('registry:5000/team/app');
    expect(repository('app@sha256:abc')).toBe('app');
    const [, nano] = resolveProfiles(parseEngineSettings({}), { version: '1' });
    expect(imageMatches(nano!, 'c0z0c/nanococoa:aiserver-v3')).toBe(true);
    expect(imageMatches(nano!, 'docker.io/c0z0c/nanococoa')).toBe(true);
    expect(imageMatches(nano!, 'nginx:latest')).toBe(false);
  });

  it('finds by label first, then by name, then by port; running before stopped', () => {
    const [, nano] = resolveProfiles(parseEngineSettings({}), { version: '1' });
    const base = { imageId: 'x', labels: {}, ports: [], networkMode: 'bridge' };
    const found = findEngine(nano!, [
      { ...base, id: '1', name: 'old', image: 'c0z0c/nanococoa:1', status: 'exited', labels: { 'org.adstudio.managed': 'true', 'org.adstudio.profile': 'nanococoa' } },
      { ...base, id: '2', name: 'nanococoa_aiserver', image: 'c0z0c/nanococoa:1', status: 'running' },
      { ...base, id: '3', name: 'random', image: 'c0z0c/nanococoa:1', status: 'running', ports: [{ hostIp: '0.0.0.0', hostPort: 8000, containerPort: 8000 }] },
      { ...base, id: '4', name: 'proxy', image: 'nginx', status: 'running', ports: [{ hostIp: '0.0.0.0', hostPort: 8000, containerPort: 80 }] },
      { ...base, id: '5', name: 'adstudio-nanococoa', image: 'postgres', status: 'exited' },
    ]);
    expect(found.candidates.map((c) => `${c.container.id}:${c.how}`)).toEqual(['2:name', '3:port', '1:label']);
    expect(found.blockers.map((b) => `${b.container.id}:${b.kind}`).sort()).toEqual(['4:port', '5:name']);
  });

  it('reads the daemon\'s GPU refusal: missing runtime vs broken driver vs the probe image failing later', () => {
    const [, nano] = resolveProfiles(parseEngineSettings({}), { version: '1' });
    expect(classifyGpuStartError(nano!, 'could not select device driver "nvidia" with capabilities: [[gpu]]')).toMatchObject({ ok: false, error: { info: { reason: 'no-gpu-runtime' } } });
    expect(classifyGpuStartError(nano!, 'nvidia-container-cli: initialization error: nvml error: driver not loaded')).toMatchObject({ ok: false, error: { info: { reason: 'gpu-unusable' } } });
    expect(classifyGpuStartError(nano!, 'exec: "/adstudio-gpu-probe": stat /adstudio-gpu-probe: no such file or directory')).toEqual({ ok: true });
    expect(classifyGpuStartError(nano!, 'nvidia-container-cli: ldcache error: open failed: /sbin/ldconfig.real')).toEqual({ ok: true });
  });
});
