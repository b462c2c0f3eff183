#!/usr/bin/env node
// npm run bench:cutout — cut-out quality and speed on product shots whose alpha is known (issue #4).
//
// The set is built with fixed seeds: product objects with a known alpha — the banana fixture (alpha from
// its distance to the white studio backdrop, holes filled, colours un-mixed from white) and three SVG
// objects drawn by sharp (a bottle, a box, a jar; gradients, anti-aliased and one defocused edge) — are
// composited (linear over, in 8-bit sRGB like a photo editor) at seeded scales and positions onto plain
// studio colours, gradients, the app's background presets and busy photos from Debian packages (the
// bench:erase cache; skipped with a note if it is not there). Every method cuts every shot; one warm-up
// run first, then one timed run per shot.
//   IoU: alpha ≥ 128 vs truth ≥ 128. Edge error: mean |alpha − truth| (0–255) within ±4 px of the true edge.
// Usage: node scripts/bench-cutout.mjs [--no-model] [--only banana-plain,bottle-brick]
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { tsImport } from 'tsx/esm/api';
import { resolveSources } from './bench/image-sources.mjs';
import { rng, seedOf } from './bench/seeded.mjs';
import { markdownTable, mean } from './bench/table.mjs';

const TARGET_IOU = 0.95;
const TARGET_S_PER_MP = 5;
const EDGE_BAND = 4;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'no-model': { type: 'boolean', default: false }, only: { type: 'string' } } });
const fixturesDir = process.env.ADSTUDIO_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures');

const { createCutoutEngine } = await tsImport('../main/engine/cutout/index.ts', import.meta.url);
const { renderBackdrop } = await tsImport('../main/engine/background/index.ts', import.meta.url);

// ---- objects with known alpha (RGBA, straight alpha) ---------------------------------------------------

/** The banana on white: alpha ramps with the distance from white; interior holes (highlights) are filled. */
async function bananaObject() {
  const { data, info } = await sharp(join(fixturesDir, 'product-banana.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const alpha = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const d = 255 - Math.min(data[i * 3], data[i * 3 + 1], data[i * 3 + 2]);
    alpha[i] = Math.round(255 * Math.min(1, Math.max(0, (d - 10) / 40)));
  }
  // Background = the < 128 region reachable from the border; anything else below 128 is a highlight.
  const outside = new Uint8Array(w * h);
  const stack = [];
  for (let x = 0; x < w; x++) stack.push(x, (h - 1) * w + x);
  for (let y = 0; y < h; y++) stack.push(y * w, y * w + w - 1);
  while (stack.length) {
    const i = stack.pop();
    if (outside[i] || alpha[i] >= 128) continue;
    outside[i] = 1;
    const x = i % w;
    if (x > 0) stack.push(i - 1);
    if (x < w - 1) stack.push(i + 1);
    if (i >= w) stack.push(i - w);
    if (i < w * (h - 1)) stack.push(i + w);
  }
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    if (!outside[i] && alpha[i] < 128) alpha[i] = 255;
    const a = alpha[i] / 255;
    for (let c = 0; c < 3; c++) {
      // I = aF + (1 − a)·255 → F; keeps the white of the photo out of the soft edge.
      const f = a > 0.05 ? (data[i * 3 + c] - (1 - a) * 255) / a : data[i * 3 + c];
      rgba[i * 4 + c] = Math.max(0, Math.min(255, Math.round(f)));
    }
    rgba[i * 4 + 3] = alpha[i];
  }
  return { name: 'banana', rgba, width: w, height: h };
}

const SVG_OBJECTS = {
  bottle: {
    width: 300,
    height: 760,
    body: `<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#1f5e3a"/><stop offset="0.45" stop-color="#4fae74"/><stop offset="1" stop-color="#174a2d"/></linearGradient>
      <linearGradient id="c" x1="0" x2="1"><stop offset="0" stop-color="#b08a2e"/><stop offset="0.5" stop-color="#f3d27a"/><stop offset="1" stop-color="#8a6a1e"/></linearGradient></defs>
      <path d="M110 130 L110 200 C110 250 30 270 30 340 L30 700 Q30 740 70 740 L230 740 Q270 740 270 700 L270 340 C270 270 190 250 190 200 L190 130 Z" fill="url(#g)"/>
      <rect x="100" y="40" width="100" height="100" rx="14" fill="url(#c)"/>
      <rect x="45" y="420" width="210" height="170" rx="8" fill="#f4efe4"/><rect x="70" y="470" width="160" height="18" fill="#1f5e3a"/>`,
  },
  box: {
    width: 640,
    height: 520,
    body: `<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e8584f"/><stop offset="1" stop-color="#9c2a25"/></linearGradient>
      <linearGradient id="s" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#7a1f1b"/><stop offset="1" stop-color="#b5362f"/></linearGradient></defs>
      <path d="M20 140 L440 140 L440 500 L20 500 Z" fill="url(#f)"/>
      <path d="M20 140 L180 20 L620 20 L440 140 Z" fill="#f07a6f"/>
      <path d="M440 140 L620 20 L620 380 L440 500 Z" fill="url(#s)"/>
      <rect x="70" y="260" width="320" height="60" rx="30" fill="#fff4e0"/>`,
  },
  jar: {
    width: 520,
    height: 560,
    // Slightly defocused (a soft edge a few pixels wide), like a product at the edge of the depth of field.
    body: `<defs><radialGradient id="j" cx="0.35" cy="0.4" r="0.8"><stop offset="0" stop-color="#d9ecff"/><stop offset="0.6" stop-color="#5b8fc7"/><stop offset="1" stop-color="#23466e"/></radialGradient>
      <filter id="soft" x="-5%" y="-5%" width="110%" height="110%"><feGaussianBlur stdDeviation="1.6"/></filter></defs>
      <g filter="url(#soft)"><rect x="40" y="120" width="440" height="420" rx="90" fill="url(#j)"/>
      <rect x="70" y="30" width="380" height="110" rx="24" fill="#2d2d33"/><rect x="70" y="60" width="380" height="10" fill="#55555e"/>
      <ellipse cx="260" cy="340" rx="150" ry="80" fill="#fdf6e3"/></g>`,
  },
};

async function svgObject(name) {
  const o = SVG_OBJECTS[name];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}">${o.body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { name, rgba: data, width: info.width, height: info.height };
}

// ---- backgrounds ---------------------------------------------------------------------------------------

const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
function plain(colour) {
  const c = hex(colour);
  return { label: `plain ${colour}`, make: (w, h) => Uint8Array.from({ length: w * h * 3 }, (_, i) => c[i % 3]) };
}
function gradient(from, to) {
  const a = hex(from);
  const b = hex(to);
  return {
    label: `gradient ${from}→${to}`,
    make: (w, h) => {
      const out = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const t = (x / w + y / h) / 2; // diagonal
          for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = Math.round(a[c] + (b[c] - a[c]) * t);
        }
      }
      return out;
    },
  };
}
function preset(name) {
  return { label: `preset ${name}`, make: (w, h) => renderBackdrop({ preset: name, width: w, height: h, seed: seedOf(name), palette: [] }).rgb };
}
let photoFiles = null;
let photoNote = 'photos from Debian packages mate-backgrounds and python3-skimage (bench:erase cache)';
try {
  photoFiles = resolveSources(join(repoRoot, '.tmp', 'bench-erase'), fixturesDir, (s) => process.stderr.write(`${s}\n`));
} catch (e) {
  photoNote = `photo backgrounds skipped (${e.message})`;
}
function photo(name) {
  return {
    label: `photo ${name}`,
    photo: true,
    make: async (w, h) => new Uint8Array(await sharp(photoFiles.get(name)).removeAlpha().resize(w, h, { fit: 'cover' }).raw().toBuffer()),
  };
}

// ---- the set -------------------------------------------------------------------------------------------

const SHOTS = [
  ['banana-plain', 'banana', 1000, 800, plain('#ecebe6')],
  ['banana-gradient', 'banana', 1200, 1000, gradient('#6f8fbf', '#f6cfa8')],
  ['banana-marble', 'banana', 1080, 1350, preset('marble')],
  ['banana-gravel', 'banana', 1400, 1000, photo('gravel')],
  ['bottle-sweep', 'bottle', 900, 1200, preset('sweep')],
  ['bottle-brick', 'bottle', 1000, 1000, photo('brick')],
  ['box-dark', 'box', 1200, 900, plain('#2b2d33')],
  ['box-wood', 'box', 1600, 1000, preset('wood')],
  ['jar-bokeh', 'jar', 1000, 1000, preset('bokeh')],
  ['jar-meadow', 'jar', 1200, 800, photo('meadow')],
].filter(([name, , , , bg]) => (!bg.photo || photoFiles) && (!values.only || values.only.split(',').includes(name)));

async function buildShot([name, objName, w, h, bg], objects) {
  const r = rng(seedOf(name));
  const obj = objects[objName];
  // Longest side 40–70 % of the canvas's shorter side; resized with premultiplied alpha (sharp does).
  const scale = (Math.min(w, h) * (0.4 + 0.3 * r())) / Math.max(obj.width, obj.height);
  const ow = Math.round(obj.width * scale);
  const oh = Math.round(obj.height * scale);
  const fg = await sharp(obj.rgba, { raw: { width: obj.width, height: obj.height, channels: 4 } }).resize(ow, oh, { kernel: 'lanczos3' }).raw().toBuffer();
  const ox = r.int(Math.round(w * 0.05), w - ow - Math.round(w * 0.05));
  const oy = r.int(Math.round(h * 0.05), h - oh - Math.round(h * 0.05));
  const rgb = await bg.make(w, h);
  const alpha = new Uint8Array(w * h);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const s = (y * ow + x) * 4;
      const a = fg[s + 3];
      if (!a) continue;
      const d = (oy + y) * w + ox + x;
      alpha[d] = a;
      for (let c = 0; c < 3; c++) rgb[d * 3 + c] = Math.round((fg[s + c] * a + rgb[d * 3 + c] * (255 - a)) / 255);
    }
  }
  return { name, object: objName, background: bg.label, width: w, height: h, rgb, alpha };
}

// ---- metrics -------------------------------------------------------------------------------------------

function iou(pred, truth) {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = pred[i] >= 128;
    const t = truth[i] >= 128;
    if (p && t) inter++;
    if (p || t) union++;
  }
  return union ? inter / union : 1;
}

/** Mean |pred − truth| over pixels within EDGE_BAND px (square) of a true edge pixel. */
function edgeError(pred, truth, w, h) {
  const edge = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const t = truth[i] >= 128;
      if ((x > 0 && truth[i - 1] >= 128 !== t) || (y > 0 && truth[i - w] >= 128 !== t)) edge[i] = 1;
    }
  }
  // Separable max filter = square dilation.
  const row = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!edge[y * w + x]) continue;
      for (let k = Math.max(0, x - EDGE_BAND); k <= Math.min(w - 1, x + EDGE_BAND); k++) row[y * w + k] = 1;
    }
  }
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let inBand = false;
      for (let k = Math.max(0, y - EDGE_BAND); k <= Math.min(h - 1, y + EDGE_BAND) && !inBand; k++) inBand = row[k * w + x] === 1;
      if (!inBand) continue;
      sum += Math.abs(pred[y * w + x] - truth[y * w + x]);
      n++;
    }
  }
  return n ? sum / n : 0;
}

// ---- run -----------------------------------------------------------------------------------------------

const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');
console.log(`bench:cutout — ${availableParallelism()} cores, load average ${load()} at start\n`);

const objects = {};
for (const o of [await bananaObject(), ...(await Promise.all(Object.keys(SVG_OBJECTS).map(svgObject)))]) objects[o.name] = o;
const shots = [];
for (const spec of SHOTS) shots.push(await buildShot(spec, objects));

console.log(`set: ${shots.length} shots, 0.64–1.6 MP, fixed seeds`);
console.log('  objects: banana fixture (alpha from distance to white, ramp 10–50, holes filled, colours un-mixed from white);');
console.log('           SVG bottle, box (hard anti-aliased edges) and jar (Gaussian-blurred edge, σ 1.6 px) drawn by sharp');
console.log('  placed at seeded positions, longest side 40–70 % of the canvas\'s shorter side, composited over in 8-bit sRGB');
console.log(`  backgrounds: plain studio colours, a diagonal gradient, presets (marble, sweep, wood, bokeh), ${photoNote}`);
console.log('');

const cutter = createCutoutEngine();
const methods = [];
const status = cutter.modelStatus('medium');
if (values['no-model']) console.log('isnet-medium not measured: --no-model\n');
else if (status.available) methods.push({ method: 'model', label: 'isnet-medium' });
else console.log(`isnet-medium not measured: ${status.reason}\n`);
methods.push({ method: 'classical', label: 'classical' });

const rgbOf = (shot) => ({ data: shot.rgb.slice(), width: shot.width, height: shot.height, channels: 3 });
const summary = [];
try {
  for (const { method, label } of methods) {
    const warm = performance.now();
    await cutter.cutout({ image: rgbOf(shots[0]), method, model: 'medium' });
    const warmMs = performance.now() - warm;
    const rows = [];
    const stats = [];
    for (const shot of shots) {
      const t = performance.now();
      const res = await cutter.cutout({ image: rgbOf(shot), method, model: 'medium' });
      const sec = (performance.now() - t) / 1000;
      const mp = (shot.width * shot.height) / 1e6;
      const s = { iou: iou(res.mask.data, shot.alpha), edge: edgeError(res.mask.data, shot.alpha, shot.width, shot.height), sec, sPerMp: sec / mp };
      stats.push(s);
      rows.push([shot.name, shot.background, `${shot.width}×${shot.height}`, mp.toFixed(2), s.iou.toFixed(3), s.edge.toFixed(1), `${sec.toFixed(2)} s`, s.sPerMp.toFixed(2)]);
    }
    const avg = { iou: mean(stats.map((s) => s.iou)), edge: mean(stats.map((s) => s.edge)), sec: mean(stats.map((s) => s.sec)), sPerMp: mean(stats.map((s) => s.sPerMp)) };
    const minIou = Math.min(...stats.map((s) => s.iou));
    const maxSPerMp = Math.max(...stats.map((s) => s.sPerMp));
    rows.push(['mean', '', '', '', avg.iou.toFixed(3), avg.edge.toFixed(1), `${avg.sec.toFixed(2)} s`, avg.sPerMp.toFixed(2)]);
    console.log(`${label} (${methodNote(method)}; warm-up run ${(warmMs / 1000).toFixed(1)} s incl. worker start${method === 'model' ? ' and model load' : ''}; load average ${load()})`);
    console.log(markdownTable(['shot', 'background', 'size', 'MP', 'IoU', 'edge err', 'time', 's/MP'], rows));
    console.log(`  min IoU ${minIou.toFixed(3)}, worst ${maxSPerMp.toFixed(2)} s/MP\n`);
    summary.push({ label, avg, minIou, maxSPerMp });
  }
} finally {
  await cutter.close();
}

function methodNote(method) {
  return method === 'model' ? 'IS-Net fp32 via the optional package' : 'colour model + trimap + matte refinement';
}

console.log(`targets: mean IoU ≥ ${TARGET_IOU}, ≤ ${TARGET_S_PER_MP} s per MP (issue #4); edge err = mean |alpha − truth| (0–255) within ±${EDGE_BAND} px of the true edge`);
const yes = (ok) => (ok ? 'met' : 'NOT met');
console.log(
  markdownTable(
    ['method', 'mean IoU', 'min IoU', 'IoU target', 'mean edge err', 'mean s/MP', 'worst s/MP', 'speed target'],
    summary.map((s) => [s.label, s.avg.iou.toFixed(3), s.minIou.toFixed(3), yes(s.avg.iou >= TARGET_IOU), s.avg.edge.toFixed(1), s.avg.sPerMp.toFixed(2), s.maxSPerMp.toFixed(2), yes(s.avg.sPerMp <= TARGET_S_PER_MP)]),
  ),
);
console.log(`load average at end: ${load()}`);
