// The two speed targets, built from a real photo with real rendered ad copy:
//   A: 1024×1024 with ~5% of the pixels masked (text strokes, dilated 2 px),
//   B: a 24-megapixel (6000×4000) photo with a few lines of text.
import sharp from 'sharp';
import { adCopySvg } from './ad-copy.mjs';
import { dilate, MASK_DILATION } from './eval-set.mjs';
import { seedOf } from './seeded.mjs';

async function photo(file, width, height) {
  const { data } = await sharp(file).flatten({ background: '#ffffff' }).toColourspace('srgb').resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, channels: 3 };
}

async function drawCopy(clean, svgs) {
  const { width, height } = clean;
  const { data } = await sharp(Buffer.from(clean.data), { raw: { width, height, channels: 3 }, limitInputPixels: false })
    .composite(svgs.map((svg) => ({ input: Buffer.from(svg), top: 0, left: 0, limitInputPixels: false })))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const text = { ...clean, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  const glyphs = new Uint8Array(width * height);
  for (let i = 0; i < glyphs.length; i++) {
    const o = i * 3;
    if (clean.data[o] !== text.data[o] || clean.data[o + 1] !== text.data[o + 1] || clean.data[o + 2] !== text.data[o + 2]) glyphs[i] = 255;
  }
  const mask = { data: dilate(glyphs, width, height, MASK_DILATION), width, height, channels: 1 };
  let n = 0;
  for (const v of mask.data) if (v >= 128) n++;
  return { text, mask, coverage: n / mask.data.length };
}

/** A: layers of seeded copy until ~5% of the 1024² image is masked. */
export async function speedCase1024(file) {
  const clean = await photo(file, 1024, 1024);
  const svgs = [];
  let made = null;
  for (let k = 0; k < 12; k++) {
    svgs.push(adCopySvg(1024, 1024, seedOf(`speed1024:${k}`)).svg);
    made = await drawCopy(clean, svgs);
    if (made.coverage >= 0.045) break;
  }
  return { name: '1024² ~5% text', clean, ...made };
}

/** B: 6000×4000 with one seeded block of copy (2–4 lines). */
export async function speedCase24mp(file) {
  const clean = await photo(file, 6000, 4000);
  const made = await drawCopy(clean, [adCopySvg(6000, 4000, seedOf('speed24mp')).svg]);
  return { name: '24 MP, a few lines', clean, ...made };
}
