import { buildCli } from '../../support/build-cli.js';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LAMA_MODEL } from '../../../main/core/models/model-registry.js';
import { startLoopbackHub, type LoopbackHub } from '../../unit/main/core/models/loopback-hub.js';
import { FILL_RGB, tinyLamaModel, tinyLamaSpec } from '../../unit/main/engine/lama/tiny-lama-model.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'main/cli/bin.cjs');
// The tiny stand-in for LaMa, padded so a download takes long enough to interrupt.
const MODEL = tinyLamaModel({ padBytes: 4 * 1024 * 1024 });
const SPEC = tinyLamaSpec(MODEL);
const W = 1200;
const H = 800;
const BOX = { x0: 100, y0: 300, x1: 1100, y1: 360 }; // a text line: the HD (crop) path, several windows

let hub: LoopbackHub;
let dir: string;
let modelsDir: string;
let registryFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HF_HOME: '', HF_HUB_CACHE: '', HF_ENDPOINT: '', ADSTUDIO_MODELS_DIR: modelsDir, ADSTUDIO_MODEL_HUB: hub.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const withTiny = { ADSTUDIO_MODELS_REGISTRY: '' } as Record<string, string>;
const blobOf = () => join(modelsDir, 'hub', 'models--Test--Tiny-LaMa', 'blobs', SPEC.files[0]!.sha256);

beforeAll(async () => {
  buildCli();
  hub = await startLoopbackHub();
  hub.put('Test/Tiny-LaMa', SPEC.repo.revision, 'lama_fp32.onnx', MODEL);
  hub.put('Carve/LaMa-ONNX', LAMA_MODEL.repo.revision, 'lama_fp32.onnx', Buffer.from('not the real weights'));
  dir = mkdtempSync(join(tmpdir(), 'adstudio-models-cli-'));
  registryFile = join(dir, 'registry.json');
  writeFileSync(registryFile, JSON.stringify({ models: [SPEC] }));
  withTiny.ADSTUDIO_MODELS_REGISTRY = registryFile;
  const rgb = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rgb.set([(x * 5 + y) % 256, (y * 3) % 256, (x + y) % 256], (y * W + x) * 3);
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(dir, 'photo.png'));
  const mask = Buffer.alloc(W * H);
  for (let y = BOX.y0; y < BOX.y1; y++) mask.fill(255, y * W + BOX.x0, y * W + BOX.x1);
  await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toFile(join(dir, 'mask.png'));
});
afterAll(async () => {
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  modelsDir = mkdtempSync(join(dir, 'models-'));
  hub.requests.length = 0;
  hub.cutAfter(0, 0);
  hub.throttle(0, 0);
});

describe('adstudio models (built-in registry)', () => {
  it('lists LaMa with its published checksum, size, licence and hub URL as JSON', async () => {
    const r = await cli(['models', 'list', '--json']);
    expect(r.code).toBe(0);
    const [lama] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(lama).toMatchObject({
      id: 'lama',
      state: 'missing',
      path: null,
      license: 'Apache-2.0',
      repo: 'Carve/LaMa-ONNX',
      revision: 'c3c0c9e468934d62e79c329e35d82dd09ff8c444',
      sizeBytes: 208_044_816,
      url: `${hub.url}/Carve/LaMa-ONNX/resolve/c3c0c9e468934d62e79c329e35d82dd09ff8c444/lama_fp32.onnx`,
      cacheDir: join(modelsDir, 'hub'),
    });
    expect((lama!.files as { sha256: string }[])[0]!.sha256).toBe('1faef5301d78db7dda502fe59966957ec4b79dd64e16f03ed96913c7a4eb68d6');
    const text = await cli(['models', 'list']);
    expect(text.stdout).toMatch(/^id +state +size +RAM +VRAM +licence +source\nlama +missing +208 MB +1\.5 GB +1\.7 GB +Apache-2\.0 +Carve\/LaMa-ONNX@c3c0c9e\n/);
  });

  it('inpaint --method lama without the model: exit 1, one line naming the download command, no output', async () => {
    const r = await cli(['inpaint', 'photo.png', '--mask', 'mask.png', '--out', 'never.png', '--method', 'lama']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'adstudio: error: the LaMa (big-lama, ONNX) model is not installed: run "adstudio models download lama" (208 MB), or "adstudio models import lama <file>" with a copy fetched on another machine\n',
    );
    expect(existsSync(join(dir, 'never.png'))).toBe(false);
  });

  it('refuses what the hub serves when it is not the published file, installing nothing', async () => {
    const r = await cli(['models', 'download', 'lama']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/adstudio: error: the file on the model hub is 20 bytes, but the published model is 208044816 bytes: not the expected file/);
    expect(hub.requests.map((q) => q.path)).toContain('/Carve/LaMa-ONNX/resolve/c3c0c9e468934d62e79c329e35d82dd09ff8c444/lama_fp32.onnx');
    expect(JSON.parse((await cli(['models', 'list', '--json'])).stdout)[0].state).toBe('missing');
  });

  it('explains usage mistakes with exit code 2', async () => {
    const r = await cli(['models', 'download']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected: adstudio models download <id>/);
    expect((await cli(['models', 'fetch'])).stderr).toMatch(/unknown subcommand "fetch"/);
    const unknown = await cli(['models', 'download', 'sdxl']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown model "sdxl"; known models: lama/);
  });
});

describe('adstudio models with a tiny LaMa stand-in (ADSTUDIO_MODELS_REGISTRY) on a loopback hub', () => {
  it('downloads (resuming a cut connection), lists, verifies, erases with --method lama, and detects damage', async () => {
    hub.cutAfter(1024 * 1024, 1);
    const dl = await cli(['models', 'download', 'lama'], withTiny);
    expect(dl.stderr).toMatch(/adstudio: downloading lama \(\d MB\) 100%/);
    expect(dl.stderr).toMatch(/adstudio: lama installed \(\d MB, SHA-256 checked, Apache-2\.0\)/);
    expect(dl.code).toBe(0);
    const snap = join(modelsDir, 'hub', 'models--Test--Tiny-LaMa', 'snapshots', SPEC.repo.revision, 'lama_fp32.onnx');
    expect(dl.stdout.trim()).toBe(snap);
    expect(lstatSync(snap).isSymbolicLink()).toBe(true);
    expect(readlinkSync(snap)).toBe(join('..', '..', 'blobs', SPEC.files[0]!.sha256));
    expect(readFileSync(blobOf()).equals(MODEL)).toBe(true);
    const ranges = hub.requests.filter((q) => q.path.startsWith('/lfs/')).map((q) => q.range);
    // Resumed from the bytes that reached the disk, not restarted: the hub sent 1 MiB before hanging
    // up; chunks still queued in the HTTP client when the socket closes go with the stream.
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(ranges[1] ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(512 * 1024);
    expect(resumedAt).toBeLessThanOrEqual(1024 * 1024);

    const listed = JSON.parse((await cli(['models', 'list', '--json'], withTiny)).stdout)[0];
    expect(listed).toMatchObject({ id: 'lama', state: 'installed', path: snap });
    const ok = await cli(['models', 'verify'], withTiny);
    expect(ok).toMatchObject({ code: 0, stdout: `lama  ok  ${snap}\n` });

    const erase = await cli(['inpaint', 'photo.png', '--mask', 'mask.png', '--out', 'clean.png', '--method', 'lama'], withTiny);
    expect(erase.stderr).toMatch(/adstudio: wrote clean\.png \(1200×800, inpaint:lama, [\d.]+ s\)/);
    expect(erase.code).toBe(0);
    const before = await sharp(join(dir, 'photo.png')).raw().toBuffer();
    const after = await sharp(join(dir, 'clean.png')).raw().toBuffer();
    let outside = 0;
    let inside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 3;
        const inMask = x >= BOX.x0 && x < BOX.x1 && y >= BOX.y0 && y < BOX.y1;
        const same = after[i] === before[i] && after[i + 1] === before[i + 1] && after[i + 2] === before[i + 2];
        if (!inMask && !same) outside++;
        if (inMask && !(after[i] === FILL_RGB[0] && after[i + 1] === FILL_RGB[1] && after[i + 2] === FILL_RGB[2])) inside++;
      }
    }
    expect(outside).toBe(0); // every pixel outside the mask bit-identical
    expect(inside).toBe(0); // every masked pixel from the network

    const fh = await open(blobOf(), 'r+');
    await fh.write(Buffer.from([0x42]), 0, 1, 2000);
    await fh.close();
    const bad = await cli(['models', 'verify'], withTiny);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^lama {2}DAMAGED: .* does not match its SHA-256 .* run "adstudio models download lama" to replace it\n$/);
    const refused = await cli(['inpaint', 'photo.png', '--mask', 'mask.png', '--out', 'bad.png', '--method', 'lama'], withTiny);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/model is damaged .*adstudio models download lama/);
    expect(existsSync(join(dir, 'bad.png'))).toBe(false);
  });

  it('Ctrl+C stops a download and keeps what arrived; the next download resumes it', async () => {
    hub.throttle(128 * 1024, 30);
    const stopped = await cli(['models', 'download', 'lama'], withTiny, (text, child) => {
      if (/downloading lama .* 25%/.test(text) && child.exitCode === null && !child.killed) child.kill('SIGINT');
    });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/adstudio: cancelled\n$/);
    const partial = `${blobOf()}.incomplete`;
    const kept = lstatSync(partial).size;
    expect(kept).toBeGreaterThan(0);
    expect(JSON.parse((await cli(['models', 'list', '--json'], withTiny)).stdout)[0]).toMatchObject({ state: 'partial', partialBytes: kept });

    hub.throttle(0, 0);
    hub.requests.length = 0;
    const resumed = await cli(['models', 'download', 'lama'], withTiny);
    expect(resumed.code).toBe(0);
    expect(hub.requests.find((q) => q.path.startsWith('/lfs/'))?.range).toBe(`bytes=${kept}-`);
    expect(readFileSync(blobOf()).equals(MODEL)).toBe(true);
    expect(existsSync(partial)).toBe(false);
  });

  it('imports a file fetched elsewhere, and refuses a different one', async () => {
    writeFileSync(join(dir, 'elsewhere.onnx'), MODEL);
    const r = await cli(['models', 'import', 'lama', 'elsewhere.onnx'], withTiny);
    expect(r.code).toBe(0);
    expect(readFileSync(r.stdout.trim()).equals(MODEL)).toBe(true);
    expect(hub.requests).toEqual([]);

    modelsDir = mkdtempSync(join(dir, 'models-'));
    const other = Buffer.from(MODEL);
    other[100]! ^= 1;
    writeFileSync(join(dir, 'other.onnx'), other);
    const bad = await cli(['models', 'import', 'lama', 'other.onnx'], withTiny);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/checksum mismatch: .*other\.onnx has SHA-256 [0-9a-f]{64}, but lama expects [0-9a-f]{64}; nothing was installed/);
    expect(JSON.parse((await cli(['models', 'list', '--json'], withTiny)).stdout)[0].state).toBe('missing');
  });
});
