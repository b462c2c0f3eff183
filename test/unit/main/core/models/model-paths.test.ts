import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_MODELS, defaultModelsHome, fileUrl, hubBaseUrl, hubCacheDir, LAMA_MODEL, loadModelRegistry, openModelStore, repoLayout } from '../../../../../main/core/models/index.js';

const dir = mkdtempSync(join(tmpdir(), 'adstudio-model-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where models live', () => {
  const base = { platform: 'linux' as const, home: '/home/u', exists: () => false };

  it('ADSTUDIO_MODELS_DIR, then HF_HOME, then the seed volume, then the HF default', () => {
    expect(defaultModelsHome({ ...base, env: { ADSTUDIO_MODELS_DIR: '/data/models', HF_HOME: '/hf' } })).toBe('/data/models');
    expect(defaultModelsHome({ ...base, env: { HF_HOME: '/hf' } })).toBe('/hf');
    expect(defaultModelsHome({ ...base, env: {}, exists: (p) => p === '/opt/huggingface' })).toBe('/opt/huggingface');
    expect(defaultModelsHome({ ...base, env: {} })).toBe('/home/u/.cache/huggingface');
    expect(defaultModelsHome({ ...base, env: { XDG_CACHE_HOME: '/xdg' } })).toBe('/xdg/huggingface');
    expect(defaultModelsHome({ ...base, platform: 'darwin', env: {}, exists: () => true })).toBe('/home/u/.cache/huggingface');
  });

  it('keeps models in the hub cache inside that folder, like HF_HUB_CACHE', () => {
    expect(hubCacheDir({ ...base, env: { ADSTUDIO_MODELS_DIR: '/data/models' } })).toBe('/data/models/hub');
    expect(hubCacheDir({ ...base, env: { HF_HUB_CACHE: '/cache/hub', HF_HOME: '/hf' } })).toBe('/cache/hub');
    expect(hubCacheDir({ ...base, env: { HF_HUB_CACHE: '/cache/hub', ADSTUDIO_MODELS_DIR: '/mine' } })).toBe('/mine/hub');
  });

  it('builds the Hugging Face layout and download URL for LaMa', () => {
    const l = repoLayout('/v/hub', LAMA_MODEL);
    const sha = LAMA_MODEL.files[0]!.sha256;
    expect(l.repoDir).toBe('/v/hub/models--Carve--LaMa-ONNX');
    expect(l.blob(sha)).toBe(`/v/hub/models--Carve--LaMa-ONNX/blobs/${sha}`);
    expect(l.incomplete(sha)).toBe(`/v/hub/models--Carve--LaMa-ONNX/blobs/${sha}.incomplete`);
    expect(l.snapshotFile(LAMA_MODEL.files[0]!)).toBe('/v/hub/models--Carve--LaMa-ONNX/snapshots/c3c0c9e468934d62e79c329e35d82dd09ff8c444/lama_fp32.onnx');
    expect(l.refFile).toBe('/v/hub/models--Carve--LaMa-ONNX/refs/main');
    expect(fileUrl(hubBaseUrl({}), LAMA_MODEL, LAMA_MODEL.files[0]!)).toBe('https://huggingface.co/Carve/LaMa-ONNX/resolve/c3c0c9e468934d62e79c329e35d82dd09ff8c444/lama_fp32.onnx');
    expect(hubBaseUrl({ ADSTUDIO_MODEL_HUB: 'http://127.0.0.1:9999/', HF_ENDPOINT: 'https://hf-mirror.com' })).toBe('http://127.0.0.1:9999');
    expect(hubBaseUrl({ HF_ENDPOINT: 'https://hf-mirror.com' })).toBe('https://hf-mirror.com');
  });

  it('opens the store of an environment', () => {
    const s = openModelStore({ env: { ADSTUDIO_MODELS_DIR: dir, ADSTUDIO_MODEL_HUB: 'http://mirror.local' } });
    expect(s.hubDir).toBe(join(dir, 'hub'));
    expect(s.url(LAMA_MODEL)).toMatch(/^http:\/\/mirror\.local\/Carve\/LaMa-ONNX\/resolve\//);
    expect(s.status('lama')).toMatchObject({ state: 'missing', sizeBytes: 208_044_816, license: 'Apache-2.0' });
  });
});

describe('ADSTUDIO_MODELS_REGISTRY', () => {
  const entry = { ...LAMA_MODEL, id: 'lama', repo: { org: 'Mirror', name: 'LaMa', revision: 'main' } };

  it('replaces a built-in entry by id and adds new ones', () => {
    const file = join(dir, 'registry.json');
    writeFileSync(file, JSON.stringify({ models: [entry, { ...LAMA_MODEL, id: 'lama-alt' }] }));
    const registry = loadModelRegistry({ ADSTUDIO_MODELS_REGISTRY: file });
    expect(registry.map((m) => m.id)).toEqual(['lama', 'lama-alt']);
    expect(registry[0]!.repo.org).toBe('Mirror');
    expect(loadModelRegistry({})).toBe(BUILTIN_MODELS);
  });

  it('refuses entries that could escape the cache folder or carry a malformed checksum', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ models: [{ ...entry, files: [{ path: '../../etc/passwd', sha256: 'a'.repeat(64), sizeBytes: 1 }] }] }));
    expect(() => loadModelRegistry({ ADSTUDIO_MODELS_REGISTRY: file })).toThrow(/not a valid model list: models\.0\.files\.0\.path no "\." or "\.\." segments/);
    writeFileSync(file, JSON.stringify({ models: [{ ...entry, repo: { org: '..', name: 'x', revision: 'main' } }] }));
    expect(() => loadModelRegistry({ ADSTUDIO_MODELS_REGISTRY: file })).toThrow(/repo\.org/);
    writeFileSync(file, JSON.stringify({ models: [{ ...entry, files: [{ path: 'a.onnx', sha256: 'XYZ', sizeBytes: 1 }] }] }));
    expect(() => loadModelRegistry({ ADSTUDIO_MODELS_REGISTRY: file })).toThrow(/sha256/);
    expect(() => loadModelRegistry({ ADSTUDIO_MODELS_REGISTRY: join(dir, 'missing.json') })).toThrow(/cannot read/);
  });
});
