// Builds (or loads from its cache) the erase evaluation set: for each clean image, the same image with
// seeded ad copy drawn over it, and the text mask = pixels that differ, dilated by 2 px.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { adCopySvg, FONT_PACKAGES, missingFonts } from './ad-copy.mjs';
import { IMAGE_SOURCES, resolveSources } from './image-sources.mjs';
import { rng, seedOf } from './seeded.mjs';

/** Bump when anything that changes the set's pixels changes (sources, sizes, copy, mask rule). */
export const SET_VERSION = 1;
const LONG_SIDES = [768, 896, 1024, 1024];
export const MASK_DILATION = 2;

/** Clean RGB pixels for a source, scaled so both sides are within 512–1024 (long side seeded). */
async function cleanImage(file, name) {
  const r = rng(seedOf(`size:${name}`));
  const meta = await sharp(file).metadata();
  const long = Math.max(meta.width, meta.height);
  const short = Math.min(meta.width, meta.height);
  let scale = Math.min(1, r.pick(LONG_SIDES) / long);
  if (short * scale < 512) scale = 512 / short;
  const w = Math.round(meta.width * scale);
  const h = Math.round(meta.height * scale);
  let img = sharp(file).flatten({ background: '#ffffff' }).toColourspace('srgb').resize(w, h, { kernel: 'lanczos3' });
  const cw = Math.min(w, 1024);
  const ch = Math.min(h, 1024);
  if (cw < w || ch < h) {
    // Extract needs a materialised resize first.
    const resized = await img.png().toBuffer();
    img = sharp(resized).extract({ left: r.int(0, w - cw), top: r.int(0, h - ch), width: cw, height: ch });
  }
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${name}: expected 3 channels, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

/** Text pixels: any channel differs from the clean image. */
function diffMask(clean, text) {
  const { width, height } = clean;
  const m = new Uint8Array(width * height);
  for (let i = 0; i < m.length; i++) {
    const o = i * 3;
    if (clean.data[o] !== text.data[o] || clean.data[o + 1] !== text.data[o + 1] || clean.data[o + 2] !== text.data[o + 2]) m[i] = 255;
  }
  return m;
}

/** Dilation by a disc of radius r (pixels within Euclidean distance r). */
export function dilate(mask, width, height, r) {
  const out = new Uint8Array(mask.length);
  const offs = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) offs.push([dx, dy]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (const [dx, dy] of offs) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height) out[ny * width + nx] = 255;
      }
    }
  }
  return out;
}

async function savePng(file, raw) {
  const buf = await sharp(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.length), {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
  })
    .png({ compressionLevel: 6 })
    .toBuffer();
  writeFileSync(`${file}.tmp`, buf);
  renameSync(`${file}.tmp`, file);
}

async function loadPng(file, channels) {
  let img = sharp(file);
  img = channels === 1 ? img.extractChannel(0) : img.removeAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new Error(`${file}: ${info.channels} channels, expected ${channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels };
}

/**
 * The evaluation set, one entry per source: { name, kind, pkg, width, height, clean, text, mask,
 * textPixels (undilated), coverage, copy }. Cached as PNGs under cacheDir/set-v<version>.
 */
export async function loadEvalSet({ cacheDir, fixturesDir, only, log = () => {} }) {
  const dir = join(cacheDir, `set-v${SET_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const sources = IMAGE_SOURCES.filter((s) => !only || only.includes(s.name));
  let files = null;
  const set = [];
  for (const src of sources) {
    const base = join(dir, src.name);
    const meta = `${base}.json`;
    if (!existsSync(meta)) {
      const missing = missingFonts();
      if (missing.length > 0) throw new Error(`fonts missing: ${missing.join(', ')} — install ${FONT_PACKAGES.join(' ')} (apt-get install)`);
      files ??= resolveSources(cacheDir, fixturesDir, log);
      const clean = await cleanImage(files.get(src.name), src.name);
      const { svg, items } = adCopySvg(clean.width, clean.height, seedOf(`copy:${src.name}`));
      const { data } = await sharp(Buffer.from(clean.data), { raw: { width: clean.width, height: clean.height, channels: 3 } })
        .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const text = { ...clean, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
      const glyphs = diffMask(clean, text);
      const mask = dilate(glyphs, clean.width, clean.height, MASK_DILATION);
      await savePng(`${base}-clean.png`, clean);
      await savePng(`${base}-text.png`, text);
      await savePng(`${base}-glyphs.png`, { data: glyphs, width: clean.width, height: clean.height, channels: 1 });
      await savePng(`${base}-mask.png`, { data: mask, width: clean.width, height: clean.height, channels: 1 });
      writeFileSync(meta, JSON.stringify({ name: src.name, kind: src.kind, pkg: src.pkg, path: src.path, copy: items }, null, 2));
      log(`  built ${src.name} (${clean.width}×${clean.height})`);
    }
    const info = JSON.parse(readFileSync(meta, 'utf8'));
    const clean = await loadPng(`${base}-clean.png`, 3);
    const text = await loadPng(`${base}-text.png`, 3);
    const glyphs = await loadPng(`${base}-glyphs.png`, 1);
    const mask = await loadPng(`${base}-mask.png`, 1);
    let n = 0;
    for (const v of mask.data) if (v >= 128) n++;
    set.push({ ...info, width: clean.width, height: clean.height, clean, text, glyphs, mask, coverage: n / mask.data.length, files: { clean: `${base}-clean.png`, text: `${base}-text.png`, mask: `${base}-mask.png` } });
  }
  return set;
}
