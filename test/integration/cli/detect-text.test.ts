import { buildCli } from '../../support/build-cli.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture as fixturePath } from '../../support/fixtures.js';
import { editDistance } from '../../unit/main/engine/read-text/render-line.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'main/cli/bin.cjs');
const fixture = fixturePath('ad-apples-korean-text.png');

let dir: string;
const at = (name: string) => join(dir, name);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? signal as unknown as number, stdout, stderr }));
  });
}

/** A PNG whose header claims 20000×20000 pixels; nothing else in it is real. */
function bombPng(): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(20001))), chunk('IEND', Buffer.alloc(0))]);
}

/** Temp/probe files left in the folder by an interrupted or failed write. */
function leftovers(): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('.') && (f.endsWith('.tmp') || f.endsWith('.probe')));
}

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'adstudio-detect-'));
  writeFileSync(at('empty.png'), Buffer.alloc(0));
  writeFileSync(at('truncated.png'), readFileSync(fixture).subarray(0, 4000));
  writeFileSync(at('garbage.png'), Buffer.from('not an image, only words '.repeat(40)));
  await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }).gif().toFile(at('picture.gif'));
  writeFileSync(at('bomb.png'), bombPng());
  writeFileSync(at('a-file'), 'not a folder');
  // Tiled detection (several network runs) for the cancellation test.
  const W = 4000;
  const H = 3000;
  const big = Buffer.alloc(W * H * 3);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 13)) & 255;
  await sharp(big, { raw: { width: W, height: H, channels: 3 } }).png({ compressionLevel: 1 }).toFile(at('big.png'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('adstudio detect-text', () => {
  it('writes an 8-bit grayscale mask of the text and the text lines as JSON, with their copy read offline', async () => {
    // Every thread of the CLI (its workers included) runs with the network blocked and logged.
    const netLog = at('net.log');
    const offline = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(root, 'test/integration/cli/detect-text-offline.mjs')).href}`.trim(), ADSTUDIO_NET_LOG: netLog };
    const r = await cli(['detect-text', fixture, '--out', 'mask.png', '--boxes', 'boxes.json'], undefined, offline);
    expect(r.stderr).toMatch(/adstudio: reading text 100%\n/);
    expect(r.stderr).toMatch(/adstudio: wrote mask\.png and boxes\.json \(1024×1072, \d+ text lines, \d+ read, [\d.]+ s\)\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const threads = readFileSync(netLog, 'utf8').trim().split('\n');
    // The preload really ran in the CLI, the detector's worker and Tesseract's worker; nothing went to the network.
    expect(threads.filter((l) => l.startsWith('loaded worker')).length).toBeGreaterThanOrEqual(2);
    expect(threads.filter((l) => !l.startsWith('loaded '))).toEqual([]);

    const meta = await sharp(at('mask.png')).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1024, height: 1072, channels: 1, depth: 'uchar' });
    const { data } = await sharp(at('mask.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true }); // raw() alone would give RGB
    const values = new Set(data);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
    // The big price "2만 5천원" (360..662 × 155..232) is mostly masked; the sky above the title is not.
    let price = 0;
    for (let y = 155; y < 232; y++) for (let x = 360; x < 662; x++) price += data[y * 1024 + x]! ? 1 : 0;
    expect(price / (302 * 77)).toBeGreaterThan(0.5);
    for (let y = 300; y < 400; y++) for (let x = 400; x < 700; x++) expect(data[y * 1024 + x]).toBe(0);

    const boxes = JSON.parse(readFileSync(at('boxes.json'), 'utf8')) as {
      width: number;
      height: number;
      regions: { id: number; polygon: number[][]; box: { x: number; y: number; w: number; h: number }; score: number; text: string | null }[];
    };
    expect(boxes).toMatchObject({ width: 1024, height: 1072 });
    expect(boxes.regions.length).toBeGreaterThanOrEqual(7);
    for (const region of boxes.regions) {
      expect(region.polygon).toHaveLength(4);
      for (const [x, y] of region.polygon) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(1072);
      }
      expect(region.score).toBeGreaterThan(0.5);
      expect(region.text === null || (typeof region.text === 'string' && region.text.trim() === region.text && region.text !== '')).toBe(true);
    }
    // The price line is one of them.
    expect(boxes.regions.some((g) => Math.abs(g.box.x - 360) < 15 && Math.abs(g.box.y - 158) < 15 && Math.abs(g.box.w - 300) < 25)).toBe(true);
    // The small print at the bottom is read (allowing small OCR slips).
    const near = (x: number, y: number) => boxes.regions.find((g) => Math.abs(g.box.x - x) < 15 && Math.abs(g.box.y - y) < 15);
    for (const [x, y, copy] of [[121, 953, '원산지: 대구'], [122, 981, '신선한 과일을 엄선하여 준비했습니다'], [448, 235, '(1월 29일까지)']] as const) {
      const text = near(x, y)?.text;
      expect(text, `line at ${x},${y}`).toEqual(expect.any(String));
      expect(editDistance(text!, copy), `read ${JSON.stringify(text)} for ${copy}`).toBeLessThanOrEqual(0.2);
    }
    expect(leftovers()).toEqual([]);
  });

  it('--no-read writes the same boxes with "text": null and reads nothing', async () => {
    const r = await cli(['detect-text', fixture, '--out', 'mask-nr.png', '--boxes', 'boxes-nr.json', '--no-read']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/reading text/);
    expect(r.stderr).toMatch(/adstudio: wrote mask-nr\.png and boxes-nr\.json \(1024×1072, \d+ text lines, [\d.]+ s\)\n$/);
    const boxes = JSON.parse(readFileSync(at('boxes-nr.json'), 'utf8')) as { regions: { text: unknown }[] };
    expect(boxes.regions.length).toBeGreaterThanOrEqual(7);
    for (const region of boxes.regions) expect(region.text).toBeNull();
    const usage = await cli(['help', 'detect-text']);
    expect(usage.stdout).toMatch(/--no-read +leave "text" null/);
  });

  it('writes only the mask without --boxes, and `adstudio --help` lists the command', async () => {
    const r = await cli(['detect-text', fixture, '--out', 'only-mask.png']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/adstudio: wrote only-mask\.png \(/);
    expect(existsSync(at('only-mask.png'))).toBe(true);
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/detect-text +find the text in an image/);
    const usage = await cli(['help', 'detect-text']);
    expect(usage.stdout).toMatch(/^Usage: adstudio detect-text <image> --out <mask\.png> \[--boxes <boxes\.json>\] \[--no-read\]/);
  });
});

describe.concurrent('adstudio detect-text bad input', () => {
  it.each([
    ['a missing image', ['nope.png', '--out', 'x.png'], /image not found: .*nope\.png/],
    ['a 0-byte image', ['empty.png', '--out', 'x.png'], /image is empty \(0 bytes\)/],
    ['a truncated image', ['truncated.png', '--out', 'x.png'], /image could not be decoded \(corrupt or truncated\)/],
    ['a corrupt image', ['garbage.png', '--out', 'x.png'], /image is not a readable image/],
    ['an unsupported format', ['picture.gif', '--out', 'x.png'], /unsupported format "gif"/],
    ['a too-large image', ['bomb.png', '--out', 'x.png'], /image is 20000×20000 \(400\.0 MP\); the limit is/],
    ['a mask that is not a .png', [fixture, '--out', 'x.jpg'], /give --out a \.png file name, not "x\.jpg"/],
    ['a mask folder that does not exist', [fixture, '--out', 'no/such/x.png'], /cannot write mask .*x\.png: folder .*such does not exist/],
    ['a boxes "folder" that is a file', [fixture, '--out', 'x.png', '--boxes', 'a-file/b.json'], /cannot write boxes .*: .*a-file is not a folder/],
    ['the same file twice', [fixture, '--out', 'x.png', '--boxes', 'x.png'], /--out and --boxes name the same file/],
  ])('exits 1 with one clear line for %s', async (_what, args, message) => {
    const r = await cli(['detect-text', ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^adstudio: error: /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(at('x.png'))).toBe(false);
  });

  it.each([
    [[fixture], /missing --out <mask\.png>/],
    [['--out', 'x.png'], /missing <image>/],
    [[fixture, fixture, '--out', 'x.png'], /expected one image, got 2/],
    [[fixture, '--out', 'x.png', '--bogus'], /unknown option --bogus/],
    [[fixture, '--out'], /option --out needs a value/],
  ])('exits 2 with a usage hint for %j', async (args, message) => {
    const r = await cli(['detect-text', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: adstudio detect-text <image> --out <mask\.png>/);
  });
});

describe('adstudio detect-text cancellation', () => {
  it('Ctrl+C stops a running detection: exit 130, no mask, no temp file', async () => {
    let sentAt = 0;
    const r = await cli(['detect-text', 'big.png', '--out', 'big-mask.png', '--boxes', 'big.json'], (text, child) => {
      if (!sentAt && text.includes('detecting text')) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(r, r.stderr).toMatchObject({ code: 130 });
    expect(r.stderr).toMatch(/adstudio: cancelled\n$/);
    expect(existsSync(at('big-mask.png'))).toBe(false);
    expect(existsSync(at('big.json'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('Ctrl+C while reading the text: exit 130, no mask, no boxes', async () => {
    let sentAt = 0;
    const r = await cli(['detect-text', fixture, '--out', 'read-mask.png', '--boxes', 'read.json'], (text, child) => {
      if (!sentAt && text.includes('reading text')) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(r, r.stderr).toMatchObject({ code: 130 });
    expect(r.stderr).toMatch(/adstudio: cancelled\n$/);
    expect(existsSync(at('read-mask.png'))).toBe(false);
    expect(existsSync(at('read.json'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
