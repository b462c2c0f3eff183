#!/usr/bin/env node
// Does @techstark/opencv-js fill like Debian's python3-opencv? Runs cv2.inpaint (Telea and Navier–Stokes,
// r = 3 and 5) through both on the erase benchmark's images and masks and prints how far apart the
// outputs are, and what that does to the benchmark's figures (PSNR/SSIM against the clean original).
//
// Usage: node scripts/bench/compare-opencv.mjs [--only dune,brick]   (needs python3-opencv)
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEvalSet } from './eval-set.mjs';
import { fillQuality } from './metrics.mjs';
import { loadOpenCv, opencvInpaint } from './opencv.mjs';
import { startPythonOpenCv } from './opencv-python.mjs';
import { markdownTable, mean } from './table.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const log = (s) => process.stderr.write(`${s}\n`);

const py = startPythonOpenCv();
if (!py) {
  console.error('python3-opencv not found (tried $ADSTUDIO_BENCH_PYTHON, /usr/bin/python3, python3): apt-get install python3-opencv');
  process.exit(1);
}
await loadOpenCv();
const jsVersion = (await import('@techstark/opencv-js/package.json', { with: { type: 'json' } })).default.version;
const set = await loadEvalSet({
  cacheDir: join(repoRoot, '.tmp', 'bench-erase'),
  fixturesDir: process.env.ADSTUDIO_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures'),
  only: values.only?.split(','),
  log,
});

const RUNS = [['telea', 3], ['telea', 5], ['ns', 3], ['ns', 5]];
const rows = [];
try {
  for (const item of set) {
    for (const [method, radius] of RUNS) {
      const t = performance.now();
      const js = opencvInpaint(item.text, item.mask, method, radius);
      const jsMs = performance.now() - t;
      const native = await py.inpaint(item.text, item.mask, method, radius);
      // A sanity check that both really filled: the masked pixels must differ from the input's.
      const filled = difference(native, item.text, item).differing;
      rows.push({ image: item.name, run: `${method} r=${radius}`, ...difference(js, native, item), filled, jsMs, pyMs: native.elapsedMs, js: fillQuality(js, item.clean, item.mask), native: fillQuality(native, item.clean, item.mask) });
    }
    log(`  ${item.name}`);
  }
} finally {
  await py.close();
}

const f = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '—');
console.log(`\n## opencv-js ${jsVersion} vs python3-opencv ${py.version} (${py.python}), cv2.inpaint on ${set.length} benchmark images\n`);
console.log('Over the masked pixels (outside the mask both return the input). differing = share of masked pixels where any');
console.log('channel differs; PSNR js↔py = between the two outputs; PSNR/SSIM vs clean = the benchmark figure of each.\n');
console.log(
  markdownTable(
    ['run', 'max |Δ|', 'differing', 'mean |Δ| (masked)', 'PSNR js↔py dB', 'PSNR vs clean js / py', 'SSIM js / py', 'ms/image js / py'],
    RUNS.map(([m, r]) => {
      const rs = rows.filter((x) => x.run === `${m} r=${r}`);
      return [
        `${m} r=${r}`,
        String(Math.max(...rs.map((x) => x.maxAbs))),
        `${f(100 * mean(rs.map((x) => x.differing)), 2)}%`,
        f(mean(rs.map((x) => x.meanAbs)), 3),
        pooledPsnr(rs),
        `${f(mean(rs.map((x) => x.js.psnr)), 3)} / ${f(mean(rs.map((x) => x.native.psnr)), 3)}`,
        `${f(mean(rs.map((x) => x.js.ssim)), 4)} / ${f(mean(rs.map((x) => x.native.ssim)), 4)}`,
        `${f(mean(rs.map((x) => x.jsMs)), 0)} / ${f(mean(rs.map((x) => x.pyMs)), 0)}`,
      ];
    }),
  ),
);
const outside = rows.reduce((a, r) => a + r.outside, 0);
console.log(`\nBytes differing outside the mask, all runs: ${outside}. Masked pixels the fills changed (vs the input with text): ${f(100 * mean(rows.map((r) => r.filled)), 1)}% on average.`);
console.log(`Time: one cv2.inpaint call, one thread (js: wasm, wall clock of the call; py: native, timed inside Python). Load average ${loadavg()[0].toFixed(1)}.`);
const worst = [...rows].sort((a, b) => b.differing - a.differing).slice(0, 5);
console.log('Most differing (image, run, differing, max |Δ|): ' + worst.map((r) => `${r.image} ${r.run} ${f(100 * r.differing, 2)}% ${r.maxAbs}`).join('; '));

/** How two RGB(A) outputs differ, inside and outside the mask. */
function difference(a, b, item) {
  const { width, height, channels: C } = item.text;
  let maxAbs = 0;
  let differing = 0;
  let masked = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let outsideBytes = 0;
  for (let i = 0; i < width * height; i++) {
    const inMask = item.mask.data[i] >= 128;
    let any = false;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[i * C + c] - b.data[i * C + c]);
      if (!d) continue;
      any = true;
      if (!inMask) outsideBytes++;
      if (d > maxAbs) maxAbs = d;
      sumAbs += d;
      sumSq += d * d;
    }
    if (inMask) {
      masked++;
      if (any) differing++;
    }
  }
  return { maxAbs, differing: differing / Math.max(1, masked), meanAbs: sumAbs / Math.max(1, masked * 3), sumSq, samples: masked * 3, outside: outsideBytes };
}

/** PSNR between the two outputs over every masked sample of the rows ("identical" when there is no error). */
function pooledPsnr(rs) {
  const sq = rs.reduce((a, r) => a + r.sumSq, 0);
  if (!sq) return 'identical';
  return f(10 * Math.log10((255 * 255) / (sq / rs.reduce((a, r) => a + r.samples, 0))), 1);
}
