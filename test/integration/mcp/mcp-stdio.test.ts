/**
 * `adstudio mcp` as an MCP client starts it: spawned over stdio (the built CLI), driven by the SDK's
 * own Client. Real engine (embedded), real files, real scheduler with its job folder.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.js';
import { bin, buildCli, changedPixels, expectNoImageData, jsonOf, rawPixels, root, startMcp, textOf, type McpSession } from './mcp-support.js';

let base: string;
let allowed: string;
let outside: string;
let mcp: McpSession;
const inRoot = (name: string) => join(allowed, name);
const TOOLS = ['detect_text', 'erase_text', 'cutout', 'generate_background', 'compose_ad', 'job_status', 'cancel_job', 'list_fonts', 'engine_status'];

beforeAll(async () => {
  buildCli();
  base = mkdtempSync(join(tmpdir(), 'adstudio-mcp-'));
  allowed = join(base, 'allowed');
  outside = join(base, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  copyFileSync(fixture('ad-apples-korean-text.png'), inRoot('ad.png'));
  copyFileSync(fixture('product-banana.png'), inRoot('banana.png'));
  copyFileSync(fixture('ad-apples-korean-text.png'), join(outside, 'secret.png'));
  symlinkSync(join(outside, 'secret.png'), inRoot('link-to-secret.png'));
  symlinkSync(outside, inRoot('link-to-outside'));
  // A large picture with a wide mask: an erase that takes long enough to be followed and cancelled.
  const W = 3000;
  const H = 2400;
  const rgb = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) rgb.set([(i * 7) % 251, (i * 13) % 241, (i * 3) % 239], i * 3);
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).png({ compressionLevel: 1 }).toFile(inRoot('big.png'));
  const mask = Buffer.alloc(W * H);
  for (let y = 200; y < 2200; y++) mask.fill(255, y * W + 300, y * W + 2700);
  await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toFile(inRoot('big-mask.png'));
  mcp = await startMcp(['--allow', allowed, '--jobs-dir', join(base, 'jobs')]);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('adstudio mcp over stdio (SDK client)', () => {
  it('lists the nine tools with plainly named path inputs', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, { type?: string }>; required?: string[] };
    expect(schema('detect_text').required).toEqual(['image', 'out']);
    expect(Object.keys(schema('erase_text').properties)).toEqual(expect.arrayContaining(['image', 'mask', 'out', 'mask_out', 'method', 'wait_seconds']));
    expect(schema('erase_text').required).toEqual(['image', 'out']);
    expect(schema('erase_text').properties.image!.type).toBe('string');
    expect(Object.keys(schema('compose_ad').properties)).toEqual(expect.arrayContaining(['background', 'products', 'texts', 'out']));
    expect(schema('cutout').required).toEqual(['image', 'out']);
    expect(schema('job_status').required).toEqual(['job_id']);
    expect(schema('cancel_job').required).toEqual(['job_id']);
  });

  it('detect_text writes a mask of the image\'s size and answers with paths and regions', async () => {
    const result = await mcp.call('detect_text', { image: inRoot('ad.png'), out: inRoot('mask.png'), boxes: inRoot('boxes.json'), wait_seconds: 120 });
    expect(result.isError).toBeFalsy();
    const answer = jsonOf(result);
    expect(answer).toMatchObject({ status: 'done', mask: inRoot('mask.png'), boxes: inRoot('boxes.json'), width: 1024, height: 1072 });
    expect(answer.regions as number).toBeGreaterThanOrEqual(3);
    const mask = await rawPixels(inRoot('mask.png'), 1);
    expect([mask.width, mask.height]).toEqual([1024, 1072]);
    const on = mask.data.filter((v) => v === 255).length;
    expect(on).toBeGreaterThan(1000);
    expect(on).toBeLessThan(mask.data.length / 2);
    expect(existsSync(inRoot('boxes.json'))).toBe(true);
  });

  it('erase_text with a mask changes pixels only inside the mask', async () => {
    const result = await mcp.call('erase_text', { image: inRoot('ad.png'), mask: inRoot('mask.png'), out: inRoot('erased.png'), wait_seconds: 120 });
    expect(result.isError).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({ status: 'done', image: inRoot('erased.png'), mask: inRoot('mask.png') });
    const meta = await sharp(inRoot('erased.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1072]);
    const changed = await changedPixels(inRoot('ad.png'), inRoot('erased.png'), inRoot('mask.png'));
    expect(changed.outside).toBe(0);
    expect(changed.inside).toBeGreaterThan(changed.maskArea * 0.3);
  });

  it('erase_text without a mask detects first, keeps the mask when asked, and writes JPEG by extension', async () => {
    const result = await mcp.call('erase_text', { image: inRoot('ad.png'), out: inRoot('out/erased-auto.png'), mask_out: inRoot('out/auto-mask.png'), wait_seconds: 120 });
    expect(result.isError).toBeFalsy();
    const answer = jsonOf(result);
    expect(answer).toMatchObject({ status: 'done', image: inRoot('out/erased-auto.png'), mask: inRoot('out/auto-mask.png') });
    expect(answer.made_by).toEqual(['detect-text:ppocrv4', 'inpaint:patchmatch']);
    const changed = await changedPixels(inRoot('ad.png'), inRoot('out/erased-auto.png'), inRoot('out/auto-mask.png'));
    expect(changed.outside).toBe(0);
    expect(changed.inside).toBeGreaterThan(1000);

    const jpeg = await mcp.call('erase_text', { image: inRoot('ad.png'), mask: inRoot('mask.png'), out: inRoot('erased.jpg'), method: 'telea', wait_seconds: 120 });
    expect(jsonOf(jpeg)).toMatchObject({ status: 'done', made_by: ['inpaint:telea'] });
    expect((await sharp(inRoot('erased.jpg')).metadata()).format).toBe('jpeg');
  });

  it('refuses paths outside the allowed folder: absolute elsewhere, "..", symlinked file and folder, relative', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ image: join(outside, 'secret.png'), out: inRoot('m1.png') }, /outside the folders adstudio may use/],
      [{ image: `${allowed}/../outside/secret.png`, out: inRoot('m2.png') }, /outside the folders adstudio may use/],
      [{ image: inRoot('link-to-secret.png'), out: inRoot('m3.png') }, /outside the folders adstudio may use/],
      [{ image: inRoot('ad.png'), out: inRoot('link-to-outside/m4.png') }, /outside the folders adstudio may use/],
      [{ image: inRoot('ad.png'), out: `${allowed}/../outside/m5.png` }, /outside the folders adstudio may use/],
      [{ image: 'ad.png', out: inRoot('m6.png') }, /must be an absolute path inside an allowed folder/],
      [{ image: inRoot('no-such.png'), out: inRoot('m7.png') }, /does not exist/],
      [{ image: inRoot('ad.png'), out: inRoot('m8.gif') }, /must end in \.png/],
    ];
    for (const [args, message] of cases) {
      const result = await mcp.call('detect_text', { ...args, wait_seconds: 30 });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(message);
    }
    expect(readdirSync(outside)).toEqual(['secret.png']);
    const erase = await mcp.call('erase_text', { image: inRoot('ad.png'), mask: join(outside, 'secret.png'), out: inRoot('x.png') });
    expect(erase.isError).toBe(true);
    expect(textOf(erase)).toMatch(/Cannot read mask .*outside the folders/);
  });

  it('bad arguments are tool errors with a message, not success strings', async () => {
    const missing = await mcp.call('detect_text', { out: inRoot('m.png') });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/Input validation error.*image/s);
    const wrongType = await mcp.call('erase_text', { image: 42, out: inRoot('e.png') });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/expected string/);
    const badWait = await mcp.call('detect_text', { image: inRoot('ad.png'), out: inRoot('m.png'), wait_seconds: -1 });
    expect(badWait.isError).toBe(true);
    const sizes = await mcp.call('erase_text', { image: inRoot('ad.png'), mask: inRoot('big-mask.png'), out: inRoot('e.png') });
    expect(sizes.isError).toBe(true);
    expect(textOf(sizes)).toMatch(/the mask is 3000×2400 but the image is 1024×1072/);
    const method = await mcp.call('erase_text', { image: inRoot('ad.png'), mask: inRoot('mask.png'), out: inRoot('e.png'), method: 'magic' });
    expect(method.isError).toBe(true);
    expect(textOf(method)).toMatch(/unknown erase method "magic"; this engine has: .*patchmatch/);
    const corrupt = inRoot('corrupt.png');
    writeFileSync(corrupt, 'not a png at all');
    const bad = await mcp.call('detect_text', { image: corrupt, out: inRoot('m.png') });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/not a readable image/);
    const unknownJob = await mcp.call('job_status', { job_id: 'no-such-job' });
    expect(unknownJob.isError).toBe(true);
    expect(textOf(unknownJob)).toMatch(/there is no job "no-such-job"/);
  });

  it('a longer job: answered with its id, followed with job_status, stopped with cancel_job', async () => {
    const started = await mcp.call('erase_text', { image: inRoot('big.png'), mask: inRoot('big-mask.png'), out: inRoot('big-erased.png'), wait_seconds: 0 });
    expect(started.isError).toBeFalsy();
    const answer = jsonOf(started);
    expect(['queued', 'running']).toContain(answer.status);
    expect(answer.next).toMatch(/call job_status/);
    const jobId = answer.job_id as string;
    const status = jsonOf(await mcp.call('job_status', { job_id: jobId, wait_seconds: 0.5 }));
    expect(status).toMatchObject({ job_id: jobId, title: `Erase text — ${inRoot('big.png')}` });
    expect(['queued', 'running']).toContain(status.status);
    expect((status.stages as Array<{ id: string }>).map((s) => s.id)).toEqual(['erase']);
    const cancelled = await mcp.call('cancel_job', { job_id: jobId });
    expect(cancelled.isError).toBeFalsy();
    expect(jsonOf(cancelled)).toMatchObject({ job_id: jobId, status: 'cancelled' });
    const after = await mcp.call('job_status', { job_id: jobId });
    expect(after.isError).toBeFalsy();
    expect(jsonOf(after).status).toBe('cancelled');
    expect(existsSync(inRoot('big-erased.png'))).toBe(false);
    // A finished job is left as it is.
    expect(jsonOf(await mcp.call('cancel_job', { job_id: jobId })).status).toBe('cancelled');
  });

  it('cutout, generate_background and compose_ad make an ad from the product photo', async () => {
    const cut = await mcp.call('cutout', { image: inRoot('banana.png'), out: inRoot('ad/banana-cut.png'), mask_out: inRoot('ad/banana-mask.png'), wait_seconds: 180 });
    expect(cut.isError, textOf(cut)).toBeFalsy();
    const cutMeta = await sharp(inRoot('ad/banana-cut.png')).metadata();
    expect([cutMeta.width, cutMeta.height, cutMeta.hasAlpha]).toEqual([800, 705, true]);
    const bg = await mcp.call('generate_background', { out: inRoot('ad/bg.jpg'), size: 'square', preset: 'tabletop', product: inRoot('ad/banana-cut.png'), wait_seconds: 120 });
    expect(bg.isError, textOf(bg)).toBeFalsy();
    expect(jsonOf(bg)).toMatchObject({ status: 'done', width: 1080, height: 1080 });
    const bgMeta = await sharp(inRoot('ad/bg.jpg')).metadata();
    expect([bgMeta.format, bgMeta.width, bgMeta.height]).toEqual(['jpeg', 1080, 1080]);
    const ad = await mcp.call('compose_ad', {
      background: inRoot('ad/bg.jpg'),
      products: [inRoot('ad/banana-cut.png')],
      texts: ['달콤한 바나나', '오늘만 특가'],
      out: inRoot('ad/final.png'),
      layout_out: inRoot('ad/layout.json'),
      wait_seconds: 120,
    });
    expect(ad.isError, textOf(ad)).toBeFalsy();
    expect(jsonOf(ad)).toMatchObject({ status: 'done', image: inRoot('ad/final.png'), layout: inRoot('ad/layout.json') });
    const adMeta = await sharp(inRoot('ad/final.png')).metadata();
    expect([adMeta.width, adMeta.height]).toEqual([1080, 1080]);
    expect(existsSync(inRoot('ad/layout.json'))).toBe(true);
    const preset = await mcp.call('compose_ad', { background_preset: 'sweep', products: [inRoot('ad/banana-cut.png')], out: inRoot('ad/preset.webp'), size: 'story', wait_seconds: 120 });
    expect(preset.isError, textOf(preset)).toBeFalsy();
    const presetMeta = await sharp(inRoot('ad/preset.webp')).metadata();
    expect([presetMeta.format, presetMeta.width, presetMeta.height]).toEqual(['webp', 1080, 1920]);
    const jpegCut = await mcp.call('cutout', { image: inRoot('banana.png'), out: inRoot('ad/cut.jpg') });
    expect(jpegCut.isError).toBe(true);
    expect(textOf(jpegCut)).toMatch(/must end in \.png, \.webp/);
  });

  it('list_fonts and engine_status describe what there is', async () => {
    const fonts = jsonOf(await mcp.call('list_fonts', {}));
    expect(fonts.default_family).toBe('Pretendard');
    const families = fonts.families as Array<{ family: string; weights: Array<{ weight: number }> }>;
    expect(families.find((f) => f.family === 'Pretendard')!.weights.map((w) => w.weight)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    const status = jsonOf(await mcp.call('engine_status', {}));
    expect(status).toMatchObject({
      engine: { name: 'embedded', simulated: false, stages: expect.arrayContaining(['detect_text', 'inpaint']) },
      health: { status: 'healthy' },
      memory: { device: 'none' },
      simulated: false,
      allowed_roots: [allowed],
    });
    expect((status.engine as { inpaint_methods: string[] }).inpaint_methods).toContain('patchmatch');
  });

  it('no tool result carried image data (every result of this session scanned)', () => {
    expectNoImageData(mcp.results);
    expect(mcp.results.length).toBeGreaterThan(20);
  });

  it('keeps stdout for protocol messages: the log went to stderr', () => {
    expect(mcp.stderr()).toMatch(/adstudio mcp: engine: embedded/);
    expect(mcp.stderr()).toMatch(/adstudio mcp: serving MCP on stdio/);
  });
});

describe('adstudio mcp over stdio (raw)', () => {
  it('writes only JSON-RPC on stdout and exits 0 when the client closes stdin', async () => {
    const child = spawn(process.execPath, [bin, 'mcp', '--allow', allowed, '--jobs-dir', join(base, 'jobs-raw')], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = () => out.split('\n').filter(Boolean);
    const waitLines = async (n: number) => {
      const end = Date.now() + 60_000;
      while (lines().length < n) {
        if (Date.now() > end) throw new Error(`no answer; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    await waitLines(1);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'detect_text', arguments: { image: join(allowed, 'ad.png'), out: join(allowed, 'raw-mask.png'), wait_seconds: 120 } } })}\n`);
    await waitLines(2);
    child.stdin.end();
    expect(await exited).toBe(0);
    const messages = lines().map((l) => JSON.parse(l) as { jsonrpc: string; id?: number; result?: { isError?: boolean } });
    expect(messages.map((m) => [m.jsonrpc, m.id])).toEqual([
      ['2.0', 1],
      ['2.0', 2],
    ]);
    expect(messages[1]!.result!.isError).toBeFalsy();
    // The detector's worker and the scheduler did log; none of it reached stdout.
    expect(err).toMatch(/adstudio mcp: stopping…/);
  });
});
