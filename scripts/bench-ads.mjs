#!/usr/bin/env node
// Prints timings of the product-ad stages (issue #4), figures only:
//   cut-out of the banana photo (800×705) and of a 4× upscale (3200×2820, 9 MP) — IS-Net network
//   (when its optional package is installed) and the classical matte; each background preset at
//   1080×1350, in-process and as candidates through the worker pool; compose at 1080×1350 (product,
//   table-top backdrop, Korean headline and subline). Median of --runs warm runs (cold noted).
// Usage: node scripts/bench-ads.mjs [--runs N] [--no-model]
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'no-model': { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(values.runs) || 3);

const { createCutoutEngine } = await tsImport('../main/engine/cutout/index.ts', import.meta.url);
const { createBackgroundEngine, renderBackdrop, extractPalette } = await tsImport('../main/engine/background/index.ts', import.meta.url);
const { createComposer } = await tsImport('../main/engine/compose/index.ts', import.meta.url);
const { BACKGROUND_PRESETS } = await tsImport('../preload/contract/ad-layout.ts', import.meta.url);
const { FIXTURES_DIR } = await tsImport('../test/support/fixtures.ts', import.meta.url);
const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (v) => `${v.toFixed(0).padStart(6)} ms`;
async function time(fn) {
  const t = performance.now();
  const r = await fn();
  return { ms: performance.now() - t, r };
}
async function warm(fn) {
  const cold = await time(fn);
  const t = [];
  for (let i = 0; i < runs; i++) t.push((await time(fn)).ms);
  return { cold: cold.ms, median: median(t), result: cold.r };
}

console.log(`bench:ads — ${availableParallelism()} cores, load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}, ${runs} warm runs\n`);

// Inputs.
const bananaPath = join(FIXTURES_DIR, 'product-banana.png');
const small = await sharp(bananaPath).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const banana = { data: new Uint8Array(small.data), width: small.info.width, height: small.info.height, channels: 3 };
const bigW = banana.width * 4;
const bigH = banana.height * 4;
const bigData = await sharp(bananaPath).removeAlpha().resize(bigW, bigH, { kernel: 'lanczos3' }).raw().toBuffer();
const big = { data: new Uint8Array(bigData), width: bigW, height: bigH, channels: 3 };
const mp = (img) => (img.width * img.height) / 1e6;

// Cut-out.
console.log('cut-out');
const cutter = createCutoutEngine();
let cutoutRgba = null;
const methods = [];
if (!values['no-model'] && cutter.modelStatus('medium').available) methods.push('model');
else console.log('  (network not measured: ' + (values['no-model'] ? '--no-model' : cutter.modelStatus('medium').reason) + ')');
methods.push('classical');
for (const method of methods) {
  for (const img of [banana, big]) {
    const copy = () => ({ ...img, data: img.data.slice() });
    const t = await warm(() => cutter.cutout({ image: copy(), method }));
    if (img === banana && (method === 'model' || !cutoutRgba)) cutoutRgba = t.result.image;
    console.log(
      `  ${t.result.madeBy.padEnd(20)} ${`${img.width}×${img.height}`.padEnd(10)} ${ms(t.median)}  (${(t.median / 1000 / mp(img)).toFixed(2)} s/MP; first run incl. worker start${method === 'model' ? ' and model load' : ''} ${ms(t.cold)})`,
    );
  }
}
await cutter.close();

// Backgrounds.
console.log('\nbackgrounds at 1080×1350 (palette from the banana cut-out)');
const palette = extractPalette(cutoutRgba.data, cutoutRgba.width, cutoutRgba.height, 4);
for (const preset of BACKGROUND_PRESETS) {
  const t = await warm(() => renderBackdrop({ preset, width: 1080, height: 1350, seed: 1, palette }));
  console.log(`  ${preset.padEnd(10)} in-process ${ms(t.median)}`);
}
const engine = createBackgroundEngine();
await engine.render({ width: 64, height: 64 }); // start the workers
const cand = await warm(() => engine.candidates(8, { width: 1080, height: 1350, seed: 1, palette }));
console.log(`  all 8 presets as candidates through the worker pool: ${ms(cand.median)} (${(cand.median / 8).toFixed(0)} ms each)`);

// Compose.
console.log('\ncompose at 1080×1350');
const dir = mkdtempSync(join(tmpdir(), 'adstudio-bench-ads-'));
const cutPath = join(dir, 'cut.png');
await sharp(cutoutRgba.data, { raw: { width: cutoutRgba.width, height: cutoutRgba.height, channels: 4 } }).png().toFile(cutPath);
const composer = createComposer({ background: engine });
const layout = {
  canvas: { width: 1080, height: 1350 },
  background: { kind: 'preset', preset: 'tabletop', seed: 3 },
  layers: [
    { kind: 'product', id: 'banana', source: { path: cutPath } },
    { kind: 'text', id: 'headline', text: '달콤한 바나나 특가', font: { size: 84, weight: 800 }, color: '#1b1b1f', shadow: { opacity: 0.25 } },
    { kind: 'text', id: 'sub', text: '오늘만 2만 5천원 · 무료배송', font: { size: 40, weight: 500 }, color: '#1b1b1f' },
  ],
};
const c = await warm(() => composer.compose({ layout }));
console.log(`  product + backdrop + 2 text layers: ${ms(c.median)} (first run incl. worker start ${ms(c.cold)})`);
const fixed = c.result.layout;
const c2 = await warm(() => composer.compose({ layout: { ...fixed, background: { kind: 'image', source: { path: cutPath }, fit: 'cover' } } }));
console.log(`  same layout over an image background (no backdrop render): ${ms(c2.median)}`);
await composer.close();
await engine.close();
rmSync(dir, { recursive: true, force: true });
