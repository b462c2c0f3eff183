#!/usr/bin/env node
// npm run bench:erase — text-removal quality and speed of every inpainting method, side by side with
// OpenCV's Telea and Navier–Stokes (via @techstark/opencv-js = the same pixels as Debian python3-opencv).
//
// The evaluation set is built reproducibly (fixed seeds) from clean photos and graphics shipped in Debian
// packages plus the project's product fixture: each is scaled to 512–1024 px, seeded Korean and Latin ad
// copy is drawn over it (sharp SVG text; Noto Sans/Serif CJK KR, DejaVu, Liberation; several sizes and
// colours, some outlined, some rotated), and the mask is the pixels that differ, dilated by 2 px. Every
// method fills the same mask; PSNR, SSIM (7×7 windows, luminance) and texture energy (mean gradient
// magnitude) are measured in the filled area against the clean original.
//
// Usage: node scripts/bench-erase.mjs [--per-image] [--only dune,brick] [--methods telea,patchmatch]
//                                     [--no-speed] [--runs 3] [--json out.json]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { FONT_PACKAGES } from './bench/ad-copy.mjs';
import { dilate, loadEvalSet, SET_VERSION } from './bench/eval-set.mjs';
import { DEBIAN_PACKAGES, IMAGE_SOURCES, resolveSources } from './bench/image-sources.mjs';
import { changedOutside, fillQuality, PSNR_CAP } from './bench/metrics.mjs';
import { loadOpenCv, opencvInpaint } from './bench/opencv.mjs';
import { detectionMask, loadLama, loadTextDetector } from './bench/optional-stages.mjs';
import { speedCase1024, speedCase24mp } from './bench/speed-cases.mjs';
import { markdownTable, mean, median } from './bench/table.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'per-image': { type: 'boolean', default: false },
    only: { type: 'string' },
    methods: { type: 'string' },
    'no-speed': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    json: { type: 'string' },
  },
});
const runs = Math.max(1, Number(values.runs) || 3);
const cacheDir = join(repoRoot, '.tmp', 'bench-erase');
const fixturesDir = process.env.ADSTUDIO_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures');
const log = (s) => process.stderr.write(`${s}\n`);
// OpenCV's own methods at both ends of the usual radius range; Δ is taken against the best NS row.
const OPENCV_RUNS = [['telea', 3], ['telea', 5], ['ns', 3], ['ns', 5]];
const OPENCV_NAMES = { telea: 'Telea', ns: 'Navier–Stokes' };

// ---- methods -------------------------------------------------------------------------------------------
const { inpaintPixels } = await tsImport('../main/engine/inpaint/inpaint-pixels.ts', import.meta.url);
const { FILL_METHODS, DEFAULT_METHOD_ID } = await tsImport('../main/engine/inpaint/methods.ts', import.meta.url);
const { createEmbeddedInpaintEngine } = await tsImport('../main/engine/embedded-inpaint-engine.ts', import.meta.url);
const fillMethods = [...FILL_METHODS];
if (!fillMethods.some((m) => m.id === 'patchmatch')) {
  const { patchMatchMethod } = await tsImport('../main/engine/inpaint/patchmatch/patchmatch-method.ts', import.meta.url);
  fillMethods.push(patchMatchMethod);
}

await loadOpenCv();
const methods = [
  ...OPENCV_RUNS.map(([kind, radius]) => ({
    id: `opencv-${kind}-r${radius}`,
    label: `OpenCV ${OPENCV_NAMES[kind]} (r=${radius})`,
    ns: kind === 'ns',
    run: (img, mask) => opencvInpaint(img, mask, kind, radius),
  })),
  ...fillMethods.map((m) => ({
    id: m.id,
    label: `adstudio ${m.label}${m.id === DEFAULT_METHOD_ID ? ' [default]' : ''}`,
    adstudio: true,
    run: (img, mask) => {
      const copy = { ...img, data: img.data.slice() };
      inpaintPixels(copy, mask, m);
      return copy;
    },
  })),
];
const lama = await loadLama(repoRoot);
if (lama?.inpainter) methods.push({ id: 'lama', label: 'adstudio lama (LaMa big-lama, ONNX)', checkOutside: true, runAsync: (img, mask) => lama.inpainter.inpaint(img, mask) });
const wanted = values.methods?.split(',');
const active = methods.filter((m) => !wanted || wanted.includes(m.id));

// ---- quality on the evaluation set ---------------------------------------------------------------------
log('building / loading the evaluation set…');
const set = await loadEvalSet({ cacheDir, fixturesDir, only: values.only?.split(','), log });
const results = []; // { image, kind, method, ms, psnr, ssim, texErr, energy, cleanEnergy }
for (const item of set) {
  for (const m of active) {
    const t = performance.now();
    const out = m.runAsync ? await m.runAsync(item.text, item.mask) : m.run(item.text, item.mask);
    const ms = performance.now() - t;
    const outside = changedOutside(out, item.text, item.mask);
    if ((m.adstudio || m.checkOutside) && outside > 0) throw new Error(`${m.id} changed ${outside} bytes outside the mask on ${item.name}`);
    results.push({ image: item.name, kind: item.kind, method: m.id, ms, ...fillQuality(out, item.clean, item.mask) });
  }
  log(`  ${item.name}: done`);
}

const byMethod = (id) => results.filter((r) => r.method === id);
const nsRows = active.filter((m) => m.ns).map((m) => ({ id: m.id, psnr: mean(byMethod(m.id).map((r) => r.psnr)) }));
const bestNs = nsRows.sort((a, b) => b.psnr - a.psnr)[0];
const nsPsnr = bestNs?.psnr ?? NaN;
const f = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const summary = active.map((m) => {
  const rs = byMethod(m.id);
  return {
    method: m.label,
    id: m.id,
    psnr: mean(rs.map((r) => r.psnr)),
    ssim: mean(rs.map((r) => r.ssim)),
    texErr: mean(rs.map((r) => r.texErr)),
    texRatio: mean(rs.map((r) => r.energy)) / mean(rs.map((r) => r.cleanEnergy)),
    ms: mean(rs.map((r) => r.ms)),
  };
});

const totalPixels = set.reduce((a, s) => a + s.width * s.height, 0);
const cov = mean(set.map((s) => s.coverage));
console.log(`\n## Erase benchmark (evaluation set v${SET_VERSION}: ${set.length} images, ${(totalPixels / set.length / 1e6).toFixed(2)} MP and ${(cov * 100).toFixed(1)}% masked on average)\n`);
console.log(`Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(1)} at the start of the table.`);
console.log(`Averages over the set; figures in the filled (masked) area vs the clean original. PSNR (capped at ${PSNR_CAP} dB per image)`);
console.log('and SSIM: higher is better. tex err = |mean gradient magnitude of fill − of original| (lower is better); tex ratio =');
console.log('gradient energy of the fills / of the originals over the set (1 = same, < 1 = smoother). Time: one call, in-process, one thread.\n');
console.log(
  markdownTable(
    ['method', 'PSNR dB', 'Δ vs best NS', 'SSIM', 'tex err', 'tex ratio', 'ms/image'],
    summary.map((s) => [s.method, f(s.psnr, 2), s.id === bestNs?.id || !bestNs ? '—' : `${s.psnr - nsPsnr >= 0 ? '+' : ''}${f(s.psnr - nsPsnr, 2)}`, f(s.ssim, 4), f(s.texErr, 2), f(s.texRatio, 2), f(s.ms, 0)]),
  ),
);

const kinds = [...new Set(set.map((s) => s.kind))];
console.log('\nPSNR dB by kind of image:\n');
console.log(markdownTable(['method', ...kinds.map((k) => `${k} (${set.filter((s) => s.kind === k).length})`)], active.map((m) => [m.id, ...kinds.map((k) => f(mean(byMethod(m.id).filter((r) => r.kind === k).map((r) => r.psnr)), 2))])));

if (values['per-image']) {
  console.log('\nPer image (PSNR dB / SSIM):\n');
  console.log(
    markdownTable(
      ['image', 'masked', ...active.map((m) => m.id)],
      set.map((s) => [s.name, `${(s.coverage * 100).toFixed(1)}%`, ...active.map((m) => {
        const r = results.find((x) => x.image === s.name && x.method === m.id);
        return `${f(r.psnr, 2)} / ${f(r.ssim, 3)}`;
      })]),
    ),
  );
}

// ---- detection ----------------------------------------------------------------------------------------
console.log('');
const detector = await loadTextDetector(repoRoot);
if (!detector) console.log('detector: not available');
else {
  const det = await detector.create();
  const rows = [];
  try {
    if (set[0]) await det.detect({ image: set[0].text }); // warm-up: model load is not per-image time
    for (const item of set) {
      const t = performance.now();
      const res = await det.detect({ image: item.text });
      const ms = performance.now() - t;
      const mask = detectionMask(res);
      if (!mask) throw new Error(`${detector.file}: detect() returned no mask`);
      rows.push({ image: item.name, ms, ...detectionScores(item, mask) });
    }
  } finally {
    await det.close?.();
  }
  console.log(`Text detection (${detector.file}): recall = share of text pixels inside the detected mask; precision = share of mask pixels within 6 px of text.\n`);
  console.log(markdownTable(['recall', 'precision', 'ms/image'], [[f(mean(rows.map((r) => r.recall)), 3), f(mean(rows.map((r) => r.precision)), 3), f(mean(rows.map((r) => r.ms)), 0)]]));
  if (values['per-image']) console.log('\n' + markdownTable(['image', 'recall', 'precision', 'ms'], rows.map((r) => [r.image, f(r.recall, 3), f(r.precision, 3), f(r.ms, 0)])));
}

function detectionScores(item, mask) {
  const { width, height } = item;
  const text = item.glyphs.data;
  let textN = 0;
  let covered = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] < 128) continue;
    textN++;
    if (mask.data[i] >= 128) covered++;
  }
  // Within 6 px of a text pixel = the glyphs dilated by a disc of radius 6.
  const near = dilate(text, width, height, 6);
  let maskN = 0;
  let good = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] < 128) continue;
    maskN++;
    if (near[i]) good++;
  }
  return { recall: textN ? covered / textN : 1, precision: maskN ? good / maskN : 1 };
}

// ---- speed targets -------------------------------------------------------------------------------------
const speedRows = [];
if (!values['no-speed']) {
  log('speed cases…');
  const files = resolveSources(cacheDir, fixturesDir, log);
  const cases = [await speedCase1024(files.get('meadow')), await speedCase24mp(files.get('wood'))];
  const engine = createEmbeddedInpaintEngine();
  try {
    for (const c of cases) {
      for (const m of active) {
        if (!m.adstudio && c.clean.width * c.clean.height > 4e6) continue; // OpenCV on 24 MP: slow, not the point
        const inproc = [];
        const cpu = [];
        for (let r = 0; r < runs; r++) {
          const t = performance.now();
          const u = process.cpuUsage();
          if (m.runAsync) await m.runAsync(c.text, c.mask);
          else m.run(c.text, c.mask);
          inproc.push(performance.now() - t);
          const d = process.cpuUsage(u);
          cpu.push((d.user + d.system) / 1000);
        }
        let worker = NaN;
        if (m.adstudio) {
          const ws = [];
          for (let r = 0; r < runs; r++) {
            const t = performance.now();
            await engine.inpaint({ image: c.text, mask: c.mask, method: m.id });
            ws.push(performance.now() - t);
          }
          worker = median(ws);
        }
        speedRows.push({ case: c.name, masked: c.coverage, method: m.id, inProcessMs: median(inproc), cpuMs: median(cpu), workerMs: worker });
        log(`  ${c.name} / ${m.id}`);
      }
    }
  } finally {
    await engine.close();
  }
  console.log(`\nSpeed (median of ${runs}; a real photo with rendered copy). in-process = wall clock of one call on this thread; CPU = the`);
  console.log('process CPU time of that call (what it costs on an idle machine; wall > CPU means other work competed for the cores);');
  console.log('worker engine = createEmbeddedInpaintEngine().inpaint(), wall clock incl. copying the image in and out. OpenCV skipped on 24 MP.');
  console.log(`Load average now: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.\n`);
  console.log(markdownTable(['case', 'masked', 'method', 'in-process ms', 'CPU ms', 'worker engine ms'], speedRows.map((r) => [r.case, `${(r.masked * 100).toFixed(1)}%`, r.method, f(r.inProcessMs, 0), f(r.cpuMs, 0), f(r.workerMs, 0)])));
}

// ---- how the set was built ----------------------------------------------------------------------------
console.log('\nHow the set was built:');
for (const pkg of DEBIAN_PACKAGES) console.log(`- Debian ${pkg}: ${IMAGE_SOURCES.filter((s) => s.pkg === pkg).map((s) => `${s.name} (${s.path.split('/').pop()})`).join(', ')}`);
console.log('- adstudio fixture: banana (shared/fixtures/product-banana.png)');
console.log(`- Fonts from Debian ${FONT_PACKAGES.join(', ')}; copy, sizes (3–9% of the short side), colours, 35% outlined, 25% rotated ±15°: seeded per image.`);
console.log('- Mask = pixels that differ between clean and with-text, dilated by a 2 px disc. Fixed seeds: the same set on every run.');
if (lama?.missing) console.log(`- lama: ${lama.missing}`);
else if (!lama) console.log('- lama: no model file (adstudio models download lama, models/lama.onnx or ADSTUDIO_LAMA_MODEL): not run');
else console.log(`- lama: ${lama.model}`);
await lama?.inpainter?.close();

if (values.json) writeFileSync(values.json, JSON.stringify({ summary, results, speed: speedRows }, null, 2));
