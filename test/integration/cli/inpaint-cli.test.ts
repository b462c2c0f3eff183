import { buildCli } from '../../support/build-cli.js';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture as fixturePath } from '../../support/fixtures.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'main/cli/bin.cjs');
const fixture = fixturePath('ad-apples-korean-text.png');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
const at = (name: string) => join(dir, name);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node main/cli/bin.cjs ...args`; `onStderr` may react to output (e.g. send a signal). */
function cli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Mask over the price "2만 5천원" and the small print at the bottom left. */
const TEXT_BOXES = [
  [350, 150, 680, 240],
  [110, 948, 368, 1002],
] as const;

/** A PNG whose header claims 20000×20000 pixels (a decompression bomb): only the header is valid. */
function bombPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(20001))), chunk('IEND', Buffer.alloc(0))]);
}

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'adstudio-cli-'));
  const meta = await sharp(fixture).metadata();
  const W = meta.width!;
  const H = meta.height!;
  const mask = Buffer.alloc(W * H);
  for (const [x0, y0, x1, y1] of TEXT_BOXES) for (let y = y0; y < y1; y++) mask.fill(255, y * W + x0, y * W + x1);
  await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toFile(at('mask.png'));
  await sharp(fixturePath('product-banana.png')).greyscale().png().toFile(at('other-size-mask.png'));
  writeFileSync(at('empty.png'), Buffer.alloc(0));
  writeFileSync(at('truncated.png'), readFileSync(fixture).subarray(0, 4000));
  writeFileSync(at('garbage.png'), Buffer.from('this is not an image at all, just text pretending'.repeat(20)));
  await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }).gif().toFile(at('picture.gif'));
  writeFileSync(at('bomb.png'), bombPng());
  writeFileSync(at('a-file'), 'not a folder');
  mkdirSync(at('folder.png'));
  // A big job for the cancellation tests: seconds of work, cancelled long before it ends.
  const BW = 3000;
  const big = Buffer.alloc(BW * BW * 3);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 255;
  await sharp(big, { raw: { width: BW, height: BW, channels: 3 } }).png({ compressionLevel: 1 }).toFile(at('big.png'));
  const bigMask = Buffer.alloc(BW * BW);
  for (let y = 300; y < 2700; y++) bigMask.fill(255, y * BW + 300, y * BW + 2700);
  await sharp(bigMask, { raw: { width: BW, height: BW, channels: 1 } }).png().toFile(at('big-mask.png'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Temp/probe files left next to an output (named `.<out>.<pid>-<rand>.tmp|probe`). */
function leftovers(out = ''): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(`.${out}`) && (f.endsWith('.tmp') || f.endsWith('.probe')));
}

describe('adstudio CLI (built bundle through bin.cjs)', () => {
  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('inpaints the text boxes of a real ad: same size, bit-identical outside the mask, changed inside', async () => {
    const r = await cli(['inpaint', fixture, '--mask', 'mask.png', '--out', 'clean.png']);
    expect(r.stderr).toMatch(/adstudio: wrote clean\.png \(1024×1072, inpaint:\w+, [\d.]+ s\)\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');

    const before = await sharp(fixture).raw().toBuffer({ resolveWithObject: true });
    const after = await sharp(at('clean.png')).raw().toBuffer({ resolveWithObject: true });
    expect(after.info).toMatchObject({ width: before.info.width, height: before.info.height, channels: before.info.channels });
    const { width: W, channels: C } = before.info;
    const inMask = (x: number, y: number) => TEXT_BOXES.some(([x0, y0, x1, y1]) => x >= x0 && x < x1 && y >= y0 && y < y1);
    let outsideDiffs = 0;
    let insideSum = 0;
    let insideN = 0;
    for (let y = 0; y < before.info.height; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < C; c++) {
          const i = (y * W + x) * C + c;
          const d = Math.abs(before.data[i]! - after.data[i]!);
          if (inMask(x, y)) {
            insideSum += d;
            insideN++;
          } else if (d !== 0) outsideDiffs++;
        }
      }
    }
    expect(outsideDiffs).toBe(0);
    expect(insideSum / insideN).toBeGreaterThan(5); // the bright glyphs are gone
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['out.jpg', 'jpeg'],
    ['out.JPEG', 'jpeg'],
    ['out.webp', 'webp'],
  ])('writes %s as %s, following the extension', async (out, format) => {
    const r = await cli(['inpaint', fixture, '--mask', 'mask.png', '--out', out, '--method', 'smooth']);
    expect(r.code).toBe(0);
    const meta = await sharp(at(out)).metadata();
    expect(meta).toMatchObject({ format, width: 1024, height: 1072 });
  });

});

// Each bad input is its own process and writes nothing: run them side by side to keep the suite short.
describe.concurrent('adstudio CLI bad input', () => {
  it.for<[string, string[], RegExp]>([
    ['a missing image', ['inpaint', 'nope.png', '--mask', 'mask.png', '--out', 'x1.png'], /image not found: .*nope\.png/],
    ['a 0-byte image', ['inpaint', 'empty.png', '--mask', 'mask.png', '--out', 'x2.png'], /image is empty \(0 bytes\)/],
    ['a truncated image', ['inpaint', 'truncated.png', '--mask', 'mask.png', '--out', 'x3.png'], /image could not be decoded \(corrupt or truncated\)/],
    ['a corrupt image', ['inpaint', 'garbage.png', '--mask', 'mask.png', '--out', 'x4.png'], /image is not a readable image/],
    ['an unsupported format', ['inpaint', 'picture.gif', '--mask', 'mask.png', '--out', 'x5.png'], /unsupported format "gif"; use PNG, JPEG or WebP/],
    ['a too-large image', ['inpaint', 'bomb.png', '--mask', 'mask.png', '--out', 'x6.png'], /image is 20000×20000 \(400\.0 MP\); the limit is/],
    ['a missing mask', ['inpaint', fixture, '--mask', 'nomask.png', '--out', 'x7.png'], /mask not found: .*nomask\.png/],
    ['a mask of another size', ['inpaint', fixture, '--mask', 'other-size-mask.png', '--out', 'x8.png'], /mask is 800×705 but the image is 1024×1072/],
    ['an unknown method', ['inpaint', fixture, '--mask', 'mask.png', '--out', 'x9.png', '--method', 'magic'], /unknown method "magic"; available: .*telea.*smooth/],
    ['an output folder that does not exist', ['inpaint', fixture, '--mask', 'mask.png', '--out', 'no/such/dir/x.png'], /cannot write output .*x\.png: folder .*dir does not exist/],
    ['an output "folder" that is a file', ['inpaint', fixture, '--mask', 'mask.png', '--out', 'a-file/x.png'], /cannot write output .*: .*a-file is not a folder/],
    ['an output path that is a folder', ['inpaint', fixture, '--mask', 'mask.png', '--out', 'folder.png'], /cannot write output .*folder\.png: it is a folder/],
    ['an output name without a known extension', ['inpaint', fixture, '--mask', 'mask.png', '--out', 'x10.tiff'], /cannot tell the output format from "x10\.tiff"/],
  ])('exits 1 with one clear line for %s', async ([_what, args, message], { expect }) => {
    const out = args[args.indexOf('--out') + 1]!;
    const existed = existsSync(at(out));
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^adstudio: error: /);
    expect(lines[0]).toMatch(message);
    // Each case has its own output name (they run side by side); none may be created or left half.
    expect(existsSync(at(out))).toBe(existed);
    expect(leftovers(basename(out))).toEqual([]);
  });

  it.for<[string[], RegExp]>([
    [['inpaint', fixture, '--out', 'x.png'], /missing --mask/],
    [['inpaint', fixture, '--mask', 'mask.png', '--out', 'x.png', '--bogus'], /unknown option --bogus/],
    [['paint'], /unknown command "paint"/],
  ])('exits 2 with a usage hint for %j', async ([args, message], { expect }) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Run "adstudio (help inpaint|--help)"/);
  });
});

describe('adstudio CLI cancellation', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s cancels a running job cleanly: exit %i, no output, no temp file', async (sig, exitCode) => {
    let sentAt = 0;
    const r = await cli(['inpaint', 'big.png', '--mask', 'big-mask.png', '--out', 'big-out.png', '--method', 'telea'], (text, child) => {
      if (!sentAt && text.includes('inpainting')) {
        sentAt = Date.now();
        child.kill(sig);
      }
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(r.code).toBe(exitCode);
    expect(r.stderr).toMatch(/adstudio: cancelled\n$/);
    expect(existsSync(at('big-out.png'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

describe('bin.cjs on a fresh checkout', () => {
  it('builds the CLI first when dist/main/cli.mjs is missing, with a note on stderr only', async () => {
    // A throw-away tree with the real shim and a stand-in build script, so the shared dist/ is untouched.
    const tree = mkdtempSync(join(tmpdir(), 'adstudio-shim-'));
    try {
      mkdirSync(join(tree, 'main/cli'), { recursive: true });
      mkdirSync(join(tree, 'scripts'));
      copyFileSync(bin, join(tree, 'main/cli/bin.cjs'));
      writeFileSync(
        join(tree, 'scripts/build.mjs'),
        [
          "import { mkdirSync, writeFileSync } from 'node:fs';",
          "if (process.argv[2] !== '--node-only') process.exit(9);",
          "mkdirSync(new URL('../dist/main/', import.meta.url), { recursive: true });",
          "writeFileSync(new URL('../dist/main/cli.mjs', import.meta.url), 'export async function runCli(a) { process.stdout.write(`ran ${a.join(\" \")}\\\\n`); process.exitCode = 0; return 0; }');",
          "console.log('build: done');",
        ].join('\n'),
      );
      const first = execFileSync(process.execPath, [join(tree, 'main/cli/bin.cjs'), '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(first).toBe('ran --version\n'); // the build's own "build: done" went to stderr
      expect(existsSync(join(tree, 'dist/main/cli.mjs'))).toBe(true);
      const again = spawn(process.execPath, [join(tree, 'main/cli/bin.cjs'), 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      again.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise((r) => again.on('close', r));
      expect(err).toBe(''); // built once: no note, no rebuild
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
