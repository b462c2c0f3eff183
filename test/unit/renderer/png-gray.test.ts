import { zlibSync } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeGrayPng, encodeGrayPng, encodeGrayPngFast } from '../../../renderer/src/mask/png-gray';
import { decodeMask } from '../../../main/core/images/image-codec';
import { firstDifference, rng, textLikeMask } from './mask-fixtures';

function randomBytes(n: number, seed: number): Uint8Array {
  const rand = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

describe('png-gray', () => {
  it('round-trips masks of many shapes with both filters and several levels', () => {
    const cases: Array<[number, number, Uint8Array]> = [
      [1, 1, new Uint8Array([200])],
      [7, 3, randomBytes(21, 1)],
      [300, 200, randomBytes(60_000, 2)],
      [640, 480, textLikeMask(640, 480)],
    ];
    for (const [w, h, data] of cases) {
      for (const filter of ['sub', 'none'] as const) {
        for (const level of [0, 1, 3] as const) {
          const png = encodeGrayPng(data, w, h, { filter, level });
          const back = decodeGrayPng(png);
          expect(back.width).toBe(w);
          expect(back.height).toBe(h);
          expect(firstDifference(back.data, data)).toBe(-1);
        }
      }
    }
  });

  it('writes PNGs that sharp (libvips/libpng) decodes to the same pixels', async () => {
    const data = textLikeMask(333, 257, 3);
    const png = encodeGrayPng(data, 333, 257);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 333, height: 257, channels: 1, depth: 'uchar', isProgressive: false });
    const { data: raw, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 333, height: 257, channels: 1 });
    expect(firstDifference(raw, data)).toBe(-1);
  });

  it('compresses a typical mask well', () => {
    const png = encodeGrayPng(textLikeMask(1024, 1024), 1024, 1024);
    expect(png.length).toBeLessThan(1024 * 1024 * 0.05);
  });

  it('reads PNGs other encoders wrote: gray, RGB, gray+alpha, palette (first channel)', async () => {
    const w = 64;
    const h = 48;
    const gray = randomBytes(w * h, 5);
    const viaSharp = new Uint8Array(await sharp(gray, { raw: { width: w, height: h, channels: 1 } }).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer());
    expect(firstDifference(decodeGrayPng(viaSharp).data, gray)).toBe(-1);

    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set([gray[i]!, 255 - gray[i]!, 7], i * 3);
    const rgbPng = new Uint8Array(await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
    expect(firstDifference(decodeGrayPng(rgbPng).data, gray)).toBe(-1);

    const ga = new Uint8Array(w * h * 2);
    for (let i = 0; i < w * h; i++) ga.set([gray[i]!, 128], i * 2);
    const gaPng = new Uint8Array(await sharp(ga, { raw: { width: w, height: h, channels: 2 } }).png().toBuffer());
    expect(firstDifference(decodeGrayPng(gaPng).data, gray)).toBe(-1);

    const levels = new Uint8Array(w * h);
    for (let i = 0; i < levels.length; i++) levels[i] = (i % 4) * 85;
    const rgbLevels = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgbLevels.fill(levels[i]!, i * 3, i * 3 + 3);
    const palPng = new Uint8Array(await sharp(rgbLevels, { raw: { width: w, height: h, channels: 3 } }).png({ palette: true, colours: 4, dither: 0 }).toBuffer());
    const sharpRaw = new Uint8Array((await sharp(palPng).raw().toBuffer({ resolveWithObject: true })).data);
    const pal = decodeGrayPng(palPng).data;
    const channels = sharpRaw.length / (w * h);
    for (let i = 0; i < w * h; i++) expect(pal[i]).toBe(sharpRaw[i * channels]);
  });

  it('rejects damaged files with a clear error, and declines interlaced ones', async () => {
    const png = encodeGrayPng(textLikeMask(100, 100), 100, 100);
    expect(() => decodeGrayPng(png.subarray(0, png.length - 20))).toThrow(expect.objectContaining({ code: 'bad-image' }));
    const flipped = png.slice();
    flipped[60] = flipped[60]! ^ 0xff;
    expect(() => decodeGrayPng(flipped)).toThrow(/corrupt/);
    expect(() => decodeGrayPng(new Uint8Array([1, 2, 3]))).toThrow(/Not a PNG/);
    expect(() => decodeGrayPng(new Uint8Array(0))).toThrow(/Not a PNG/);

    const interlaced = new Uint8Array(await sharp(new Uint8Array(100 * 100).fill(9), { raw: { width: 100, height: 100, channels: 1 } }).png({ progressive: true }).toBuffer());
    expect(() => decodeGrayPng(interlaced)).toThrow(expect.objectContaining({ code: 'unsupported' }));
    expect(() => encodeGrayPng(new Uint8Array(5), 2, 2)).toThrow(/expected 4/);
  });
});

describe('png-gray: low bit depths', () => {
  it('reads 1-bit palette PNGs as libvips writes them', async () => {
    const w = 37;
    const h = 11;
    const bw = new Uint8Array(w * h);
    for (let i = 0; i < bw.length; i++) bw[i] = (i * 7) % 3 === 0 ? 255 : 0;
    const png1 = new Uint8Array(await sharp(bw, { raw: { width: w, height: h, channels: 1 } }).png({ palette: true, colours: 2, dither: 0 }).toBuffer());
    const ref1 = new Uint8Array((await sharp(png1).raw().toBuffer({ resolveWithObject: true })).data);
    const ch1 = ref1.length / (w * h);
    const got1 = decodeGrayPng(png1).data;
    for (let i = 0; i < w * h; i++) expect(got1[i]).toBe(ref1[i * ch1]);
    expect(new Set(got1)).toEqual(new Set([0, 255]));
  });
});

/** A hand-made PNG (to cover what our encoder and sharp never write). */
function handMadePng(width: number, height: number, depth: number, colorType: number, rows: number[][]): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, body.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(body, 8);
    v.setUint32(8 + body.length, crc(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  const raw = Uint8Array.from(rows.flatMap((r) => [0, ...r]));
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlibSync(raw)), chunk('IEND', new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('png-gray: hand-made files', () => {
  it('scales 2-bit gray samples to 0–255', () => {
    // 5 px per row at 2 bits: values 0,1,2,3,3 -> bytes 0b00011011, 0b11000000
    const png = handMadePng(5, 2, 2, 0, [
      [0b00011011, 0b11000000],
      [0b11100100, 0b00000000],
    ]);
    expect([...decodeGrayPng(png).data]).toEqual([0, 85, 170, 255, 255, 255, 170, 85, 0, 0]);
  });

  it('declines 16-bit palette and unknown colour types', () => {
    expect(() => decodeGrayPng(handMadePng(1, 1, 16, 3, [[0, 0]]))).toThrow(expect.objectContaining({ code: 'unsupported' }));
    expect(() => decodeGrayPng(handMadePng(1, 1, 8, 5, [[0]]))).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('the platform-zlib encoder (what the mask worker uses) writes PNGs both decoders read back exactly', async () => {
    // Tall enough for several 1 MiB row chunks; two at once share nothing.
    const a = textLikeMask(1500, 1700, 5);
    const b = randomBytes(333 * 777, 6);
    const [pa, pb] = await Promise.all([encodeGrayPngFast(a, 1500, 1700), encodeGrayPngFast(b, 333, 777)]);
    expect(firstDifference(decodeGrayPng(pa).data, a)).toBe(-1);
    expect(firstDifference(decodeGrayPng(pb).data, b)).toBe(-1);
    // Main validates masks with sharp (the same check putAsset runs).
    const onMain = await decodeMask(pa, { width: 1500, height: 1700 });
    expect(onMain.channels).toBe(1);
    expect(firstDifference(onMain.data, a)).toBe(-1);
    await expect(encodeGrayPngFast(new Uint8Array(5), 2, 2)).rejects.toMatchObject({ code: 'bad-request' });
  });
});
