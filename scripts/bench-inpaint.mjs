#!/usr/bin/env node
// Prints how long each embedded inpainting method takes, in-process and through the worker engine, on
//   A: a 1024×1024 photo-like image with ~5% masked in text-like strokes (a few lines of "glyphs"),
//   B: a 24-megapixel (6000×4000) image with a few lines of text masked.
// Images are synthetic and seeded, so runs are comparable. Usage: node scripts/bench-inpaint.mjs [--runs N]
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(values.runs) || 3);

const { inpaintPixels } = await tsImport('../main/engine/inpaint/inpaint-pixels.ts', import.meta.url);
const { FILL_METHODS } = await tsImport('../main/engine/inpaint/methods.ts', import.meta.url);
const { createEmbeddedInpaintEngine } = await tsImport('../main/engine/embedded-inpaint-engine.ts', import.meta.url);

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Photo-like RGBA: smooth colour field plus fine noise. */
function makeImage(width, height, seed) {
  const rand = rng(seed);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const n = (rand() - 0.5) * 12;
      data[i] = 120 + 80 * Math.sin(x / 97) + n;
      data[i + 1] = 110 + 70 * Math.cos(y / 83) + n;
      data[i + 2] = 100 + 60 * Math.sin((x + y) / 151) + n;
      data[i + 3] = 255;
    }
  }
  return { data, width, height, channels: 4 };
}

/** Lines of glyph-like strokes (bars, hooks, boxes) of the given stroke width, dilated by 2 px like a real text mask. */
function makeTextMask(width, height, { lines, glyphSize, seed, top, left, lineWidth }) {
  const rand = rng(seed);
  const m = new Uint8Array(width * height);
  const rect = (x0, y0, x1, y1) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) m.fill(255, y * width + Math.max(0, x0), y * width + Math.min(width, x1));
  };
  const stroke = Math.max(2, Math.round(glyphSize / 10)) + 4; // glyph stroke + 2 px dilation each side
  for (let l = 0; l < lines; l++) {
    const y = top + l * glyphSize * 1.6;
    for (let x = left; x < left + lineWidth; x += glyphSize * 1.1) {
      const g = Math.floor(rand() * 4);
      const s = glyphSize;
      rect(x, y, x + stroke, y + s); // a vertical bar in every glyph
      if (g === 0 || g === 2) rect(x, y + s / 2 - stroke / 2, x + s * 0.8, y + s / 2 + stroke / 2);
      if (g === 1 || g === 2) rect(x, y, x + s * 0.8, y + stroke);
      if (g === 3) {
        rect(x, y + s - stroke, x + s * 0.8, y + s);
        rect(x + s * 0.8 - stroke, y, x + s * 0.8, y + s);
      }
    }
  }
  return { data: m, width, height, channels: 1 };
}

function coverage(mask) {
  let n = 0;
  for (const v of mask.data) if (v >= 128) n++;
  return n / mask.data.length;
}

const cases = [
  {
    name: '1024² ~5% strokes',
    image: () => makeImage(1024, 1024, 1),
    mask: () => makeTextMask(1024, 1024, { lines: 4, glyphSize: 40, seed: 2, top: 160, left: 60, lineWidth: 900 }),
  },
  {
    name: '24 MP, 3 text lines',
    image: () => makeImage(6000, 4000, 3),
    mask: () => makeTextMask(6000, 4000, { lines: 3, glyphSize: 90, seed: 4, top: 3000, left: 400, lineWidth: 4800 }),
  },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows = [];
const engine = createEmbeddedInpaintEngine();
try {
  for (const c of cases) {
    const image = c.image();
    const mask = c.mask();
    const cov = coverage(mask);
    for (const method of FILL_METHODS) {
      const inproc = [];
      const cpu = [];
      for (let r = 0; r < runs; r++) {
        const copy = { ...image, data: image.data.slice() };
        const t = performance.now();
        const c = process.cpuUsage();
        inpaintPixels(copy, mask, method);
        const used = process.cpuUsage(c);
        inproc.push(performance.now() - t);
        cpu.push((used.user + used.system) / 1000);
      }
      // Through the engine as the CLI and the app call it: buffers handed over (transferInput), the copy
      // made here is not timed. The first call also starts the worker; it is not timed either.
      if (rows.length === 0) await engine.inpaint({ image, mask, method: method.id });
      const viaWorker = [];
      for (let r = 0; r < runs; r++) {
        const own = { ...image, data: image.data.slice() };
        const ownMask = { ...mask, data: mask.data.slice() };
        const t = performance.now();
        await engine.inpaint({ image: own, mask: ownMask, method: method.id, transferInput: true });
        viaWorker.push(performance.now() - t);
      }
      rows.push({ case: c.name, masked: `${(cov * 100).toFixed(1)}%`, method: method.id, inProcessMs: median(inproc), cpuMs: median(cpu), workerMs: median(viaWorker) });
      console.error(`  measured ${c.name} / ${method.id}`);
    }
  }
} finally {
  await engine.close();
}

console.log(`\nEmbedded inpainting, median of ${runs} runs, Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}\n`);
// "CPU" is the process's CPU time during the in-process call: less disturbed than wall time on a busy machine.
const header = ['case', 'masked', 'method', 'in-process', 'CPU', 'worker engine'];
const body = rows.map((r) => [r.case, r.masked, r.method, `${r.inProcessMs.toFixed(0)} ms`, `${r.cpuMs.toFixed(0)} ms`, `${r.workerMs.toFixed(0)} ms`]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const b of body) console.log(line(b));
