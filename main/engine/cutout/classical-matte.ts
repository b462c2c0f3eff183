import { AppError } from '../../../preload/contract/index.js';
import { distanceTo } from '../compose/raster/distance.js';
import { rgbToLab } from '../compose/raster/lab.js';
import { learnBorderModel, SHADOW_L_WEIGHT } from './border-model.js';
import { borderLabels, labelComponents } from './components.js';
import { localMeans, smoothstep } from './decontaminate.js';
import type { PipelineControl } from './types.js';

/**
 * Cut-out without a network, for studio product shots on a plain or graded backdrop:
 * 1. learn the backdrop from the image border (colours + a smooth colour surface);
 * 2. score every pixel by its shadow-tolerant ΔE to that backdrop;
 * 3. the backdrop is what is connected to the border through backdrop-like pixels (plus large
 *    enclosed pockets of pure backdrop, e.g. inside a mug handle); everything else is product,
 *    so a white label on a white product stays;
 * 4. a trimap: a band of a few pixels either side of that outline is unknown;
 * 5. in the band, alpha is the position of the pixel's colour between the local backdrop and the
 *    local product colour (a per-pixel two-colour model, in Lab with soft shadows discounted).
 * Returns the alpha (0..1); the caller refines it against the photo (guided filter) and defringes.
 */
export function classicalMatte(rgb: Uint8Array, width: number, height: number, ctl: PipelineControl): Float32Array {
  const n = width * height;
  const check = () => {
    if (ctl.isCancelled()) throw new AppError('cancelled', 'the cut-out was cancelled');
  };
  const lab = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) rgbToLab(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!, lab, i * 3);
  check();
  const { model, borderDistances } = learnBorderModel(lab, width, height);
  const d = new Float32Array(n);
  for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++, i++) d[i] = model.distance(lab, i, x, y);
  ctl.progress(0.3, 'backdrop model');
  check();

  // Thresholds from the backdrop's own noise (JPEG, paper texture) on the border.
  const sorted = Float32Array.from(borderDistances).sort();
  const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
  const tLo = Math.max(5, p90 * 1.5 + 2);
  const tHi = Math.max(tLo * 2.5, 14);

  const like = new Uint8Array(n);
  for (let i = 0; i < n; i++) like[i] = d[i]! < tLo ? 1 : 0;
  const { labels, areas } = labelComponents(like, width, height);
  const outer = borderLabels(labels, width, height);
  // Enclosed backdrop-like pockets: large and close to pure backdrop → holes through the product.
  const sums = new Float64Array(areas.length);
  for (let i = 0; i < n; i++) if (labels[i]) sums[labels[i]!] = sums[labels[i]!]! + d[i]!;
  const isBg = new Uint8Array(areas.length);
  for (let l = 1; l < areas.length; l++) {
    if (outer.has(l) || (areas[l]! >= 0.0005 * n && sums[l]! / areas[l]! < 0.5 * tLo)) isBg[l] = 1;
  }
  const fg0 = new Uint8Array(n);
  let fgCount = 0;
  for (let i = 0; i < n; i++) {
    fg0[i] = isBg[labels[i]!] ? 0 : 1;
    fgCount += fg0[i]!;
  }
  if (fgCount === 0) throw new AppError('bad-image', 'no product found: the whole image looks like its backdrop (nothing stands out from the border colours)');
  ctl.progress(0.45, 'product region');
  check();

  const side = Math.min(width, height);
  const band = Math.max(2, Math.round(side / 250));
  const toBg = distanceTo(width, height, (i) => fg0[i] === 0);
  const toFg = distanceTo(width, height, (i) => fg0[i] === 1);
  check();
  const sureFg = (i: number) => fg0[i] === 1 && toBg[i]! > band;
  const sureBg = (i: number) => fg0[i] === 0 && toFg[i]! > band;
  const F = localMeans(rgb, width, height, sureFg, side);
  const B = localMeans(rgb, width, height, sureBg, side);
  ctl.progress(0.6, 'edge band');
  check();

  const alpha = new Float32Array(n);
  const fl = new Float32Array(3);
  const bl = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    if (sureFg(i)) {
      alpha[i] = 1;
      continue;
    }
    if (sureBg(i)) continue;
    rgbToLab(F[i * 3]!, F[i * 3 + 1]!, F[i * 3 + 2]!, fl, 0);
    rgbToLab(B[i * 3]!, B[i * 3 + 1]!, B[i * 3 + 2]!, bl, 0);
    // Lightness below the backdrop's counts less (shadow), as in the distance above.
    const dl = lab[i * 3]! - bl[0]!;
    const wl = dl < 0 ? SHADOW_L_WEIGHT : 1;
    const x0 = dl * wl;
    const x1 = lab[i * 3 + 1]! - bl[1]!;
    const x2 = lab[i * 3 + 2]! - bl[2]!;
    const f0 = (fl[0]! - bl[0]!) * wl;
    const f1 = fl[1]! - bl[1]!;
    const f2 = fl[2]! - bl[2]!;
    const ff = f0 * f0 + f1 * f1 + f2 * f2;
    const byColour = smoothstep(tLo, tHi, d[i]!);
    alpha[i] = ff > 100 ? clamp01((x0 * f0 + x1 * f1 + x2 * f2) / ff) : byColour;
  }
  return alpha;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
