import type { RawImage } from '../../core/images/raw-image.js';
import { squaredDistance } from './distance.js';
import { growRect, rectCorners, polygonBounds, type RotatedRect } from './geometry.js';
import { kmeans3 } from './kmeans.js';
import { fitPlane, median, residualNorm } from './background-plane.js';
import { rgbToLab } from '../compose/raster/lab.js';
import { dropStrays } from './stray-blobs.js';

export interface RefineOptions {
  /** The box is searched this much beyond the detector's rectangle, × its height (min 3 px). */
  marginRatio?: number;
  /** Glyph strokes are grown by this × the line height… */
  dilationRatio?: number;
  /** …but at least / at most this many pixels. */
  minDilation?: number;
  maxDilation?: number;
  /** Colour clusters per piece of the line (background shades, fill, outline, anti-aliasing). */
  clusters?: number;
  /** Long lines are split into pieces this many line heights long, each with its own colours. */
  pieceRatio?: number;
}

export const REFINE_DEFAULTS: Required<RefineOptions> = {
  marginRatio: 0.2,
  dilationRatio: 0.12,
  minDilation: 2,
  maxDilation: 14,
  clusters: 8,
  pieceRatio: 3,
};

/** A region's mask: a crop of the full-size mask at (x, y), 255 = text. */
export interface MaskCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface RefinedRegion {
  mask: MaskCrop;
  /** Estimated height of the glyphs across the line, px. */
  lineHeight: number;
  /** Share of the line (0..1) refined to glyph strokes; the rest fell back to the filled box. */
  glyphShare: number;
}

// Zone of a crop pixel; 0 = outside the enlarged box.
const ZONE_IN = 1;
const ZONE_BORDER = 2;
/** Border pixel inside a neighbouring line's box (tight paragraphs): a background sample of last resort. */
const ZONE_SHARED = 3;
/** ΔE a text colour must differ from every background shade by (anti-aliasing and soft shadows included). */
const MIN_CONTRAST = 6;

/**
 * Narrows a detected text line to its glyph strokes: inside the slightly enlarged box, the background
 * is modelled from the box's border (a colour plane, so gradients are flat after subtracting it); the
 * remaining colours are clustered; clusters that (almost) never touch the border are text — fill,
 * outline, shadow and anti-aliasing alike, light-on-dark or dark-on-light. The strokes are then grown
 * in proportion to the line height (leftover fringes are what users notice) and clipped to the box.
 * Pieces where that separation is doubtful (textured photo behind the text, colours too close, "text"
 * reaching into the margin) keep the whole box instead.
 *
 * `others`: the other detected boxes; their pixels are not used as background samples.
 * `checkCancelled` is called between pieces of the line and may throw to stop.
 */
export function refineRegion(
  image: RawImage,
  rect: RotatedRect,
  others: readonly RotatedRect[] = [],
  options: RefineOptions = {},
  checkCancelled: () => void = () => {},
): RefinedRegion {
  const o = { ...REFINE_DEFAULTS, ...options };
  const h = rect.height;
  const margin = Math.max(3, o.marginRatio * h);
  const work = growRect(rect, margin);
  // The mask never leaves the enlarged box, so that box's bounds are the whole working area.
  const b = polygonBounds(rectCorners(work));
  const x0 = Math.max(0, Math.floor(b.x0));
  const y0 = Math.max(0, Math.floor(b.y0));
  const x1 = Math.min(image.width, Math.ceil(b.x1));
  const y1 = Math.min(image.height, Math.ceil(b.y1));
  const cw = Math.max(0, x1 - x0);
  const ch = Math.max(0, y1 - y0);
  const empty: RefinedRegion = { mask: { x: x0, y: y0, width: cw, height: ch, data: new Uint8Array(cw * ch) }, lineHeight: Math.round(h), glyphShare: 0 };
  if (cw === 0 || ch === 0) return empty;

  // Zones and coordinates along (s) and across (t) the line, per crop pixel.
  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  const hwW = work.width / 2;
  const hhW = work.height / 2;
  const hwR = rect.width / 2;
  const hhR = rect.height / 2;
  const borderWidth = Math.max(1.5, 0.08 * h);
  const otherFrames = others.map((r) => ({ r, ux: Math.cos(r.angle), uy: Math.sin(r.angle) }));
  const n = cw * ch;
  const zone = new Uint8Array(n);
  const inRect = new Uint8Array(n);
  const sOf = new Float32Array(n);
  const tOf = new Float32Array(n);
  // Crop indices of the pixels inside the enlarged box (typed: a big headline has a million).
  const members = new Int32Array(n);
  let memberCount = 0;
  for (let y = 0; y < ch; y++) {
    const dy = y0 + y + 0.5 - rect.cy;
    for (let x = 0; x < cw; x++) {
      const dx = x0 + x + 0.5 - rect.cx;
      const s = dx * ux + dy * uy;
      const t = dy * ux - dx * uy;
      const i = y * cw + x;
      sOf[i] = s;
      tOf[i] = t;
      const as = Math.abs(s);
      const at = Math.abs(t);
      if (as > hwW || at > hhW) continue;
      members[memberCount++] = i;
      if (as <= hwR && at <= hhR) inRect[i] = 1;
      let z = hwW - as < borderWidth || hhW - at < borderWidth ? ZONE_BORDER : ZONE_IN;
      if (z === ZONE_BORDER) {
        const px = x0 + x + 0.5;
        const py = y0 + y + 0.5;
        for (const f of otherFrames) {
          const ox = px - f.r.cx;
          const oy = py - f.r.cy;
          if (Math.abs(ox * f.ux + oy * f.uy) > f.r.width / 2) continue;
          const across = Math.abs(oy * f.ux - ox * f.uy);
          // Inside another line's box: maybe its glyphs. Its central band certainly is.
          if (across <= f.r.height / 4) {
            z = ZONE_IN;
            break;
          }
          if (across <= f.r.height / 2) z = ZONE_SHARED;
        }
      }
      zone[i] = z;
    }
  }
  if (memberCount === 0) return empty;

  // Lab colours of the members.
  const lab = new Float32Array(memberCount * 3);
  const C = image.channels;
  for (let k = 0; k < memberCount; k++) {
    const i = members[k]!;
    const p = ((y0 + Math.floor(i / cw)) * image.width + x0 + (i % cw)) * C;
    if (C === 1) rgbToLab(image.data[p]!, image.data[p]!, image.data[p]!, lab, k * 3);
    else if (C === 4) {
      const a = image.data[p + 3]! / 255;
      const w = 255 * (1 - a);
      rgbToLab(Math.round(image.data[p]! * a + w), Math.round(image.data[p + 1]! * a + w), Math.round(image.data[p + 2]! * a + w), lab, k * 3);
    } else rgbToLab(image.data[p]!, image.data[p + 1]!, image.data[p + 2]!, lab, k * 3);
  }

  // Pieces along the line.
  const pieces = Math.max(1, Math.round(work.width / Math.max(8, o.pieceRatio * h)));
  // Counting sort of the members by piece: each piece is a contiguous run of member numbers.
  const pieceOf = new Uint16Array(memberCount);
  const starts = new Int32Array(pieces + 1);
  for (let k = 0; k < memberCount; k++) {
    const j = Math.min(pieces - 1, Math.max(0, Math.floor(((sOf[members[k]!]! + hwW) / work.width) * pieces)));
    pieceOf[k] = j;
    starts[j + 1] = starts[j + 1]! + 1;
  }
  for (let j = 0; j < pieces; j++) starts[j + 1] = starts[j + 1]! + starts[j]!;
  const sorted = new Int32Array(memberCount);
  const fillAt = starts.slice(0, pieces);
  for (let k = 0; k < memberCount; k++) {
    const j = pieceOf[k]!;
    sorted[fillAt[j]!] = k;
    fillAt[j] = fillAt[j]! + 1;
  }
  const byPiece = Array.from({ length: pieces }, (_, j) => sorted.subarray(starts[j]!, starts[j + 1]!));

  const glyph = new Uint8Array(n);
  const fill = new Uint8Array(n);
  let glyphPieces = 0;
  for (const piece of byPiece) {
    checkCancelled();
    if (piece.length === 0) continue;
    const text = separateText(piece, members, zone, inRect, sOf, tOf, lab, o.clusters);
    if (text) {
      glyphPieces++;
      for (let q = 0; q < piece.length; q++) if (text[q]) glyph[members[piece[q]!]!] = 1;
    } else {
      for (const k of piece) if (inRect[members[k]!]) fill[members[k]!] = 1;
    }
  }

  dropStrays(glyph, inRect, cw, ch);
  const lineHeight = estimateLineHeight(glyph, tOf, h);
  const radius = clampRadius(o.dilationRatio * lineHeight, o);
  const mask = new Uint8Array(n);
  if (glyphPieces > 0) {
    const d2 = squaredDistance(glyph, cw, ch);
    const r2 = radius * radius;
    for (let k = 0; k < memberCount; k++) {
      const i = members[k]!;
      if (d2[i]! <= r2) mask[i] = 255;
    }
  }
  for (let i = 0; i < n; i++) if (fill[i]) mask[i] = 255;
  return { mask: { x: x0, y: y0, width: cw, height: ch, data: mask }, lineHeight, glyphShare: glyphPieces / pieces };
}

function clampRadius(r: number, o: Required<RefineOptions>): number {
  return Math.max(o.minDilation, Math.min(o.maxDilation, Math.round(r)));
}

/**
 * One piece of the line: returns per piece member whether it is text, or null when the colours do not
 * separate text from background convincingly.
 */
function separateText(
  piece: Int32Array,
  members: Int32Array,
  zone: Uint8Array,
  inRect: Uint8Array,
  sOf: Float32Array,
  tOf: Float32Array,
  lab: Float32Array,
  k: number,
): Uint8Array | null {
  let borderIdx: number[] = [];
  const sharedIdx: number[] = [];
  for (let q = 0; q < piece.length; q++) {
    const z = zone[members[piece[q]!]!];
    if (z === ZONE_BORDER) borderIdx.push(q);
    else if (z === ZONE_SHARED) sharedIdx.push(q);
  }
  // Lines packed tightly leave little clean border: then the neighbours' margins count too, and since
  // those may hold bits of the neighbours' glyphs, text may touch the border more before it is ruled out.
  const relaxed = borderIdx.length < Math.max(12, 0.25 * (borderIdx.length + sharedIdx.length));
  if (relaxed) borderIdx = borderIdx.concat(sharedIdx);
  const isBorder = (q: number) => {
    const z = zone[members[piece[q]!]!];
    return z === ZONE_BORDER || (relaxed && z === ZONE_SHARED);
  };
  if (borderIdx.length < 12 || piece.length < 40) return null;

  // Background colour as a plane over (s, t), fitted to the border, refitted without outliers
  // (bits of glyphs or noise in the border).
  const coords = (q: number) => {
    const i = members[piece[q]!]!;
    return [sOf[i]!, tOf[i]!] as const;
  };
  const colour = (q: number, c: number) => lab[piece[q]! * 3 + c]!;
  let model = fitPlane(borderIdx, coords, colour);
  const res = borderIdx.map((q) => residualNorm(model, q, coords, colour));
  const med = median(res);
  const inliers = borderIdx.filter((_, j) => res[j]! <= Math.max(3, 2.5 * med));
  if (inliers.length >= 12) model = fitPlane(inliers, coords, colour);

  // Cluster the residual colours; the background is near 0 everywhere.
  const feats = new Float32Array(piece.length * 3);
  for (let q = 0; q < piece.length; q++) {
    const [s, t] = coords(q);
    for (let c = 0; c < 3; c++) feats[q * 3 + c] = colour(q, c) - (model[c * 3]! + model[c * 3 + 1]! * s + model[c * 3 + 2]! * t);
  }
  const clusters = kmeans3(feats, k, [0, 0, 0]);
  const kk = clusters.count;
  const inPiece = new Int32Array(kk);
  const onBorder = new Int32Array(kk);
  const inBox = new Int32Array(kk);
  let pieceInBox = 0;
  for (let q = 0; q < piece.length; q++) {
    const j = clusters.labels[q]!;
    const i = members[piece[q]!]!;
    inPiece[j] = inPiece[j]! + 1;
    if (isBorder(q)) onBorder[j] = onBorder[j]! + 1;
    if (inRect[i]) {
      inBox[j] = inBox[j]! + 1;
      pieceInBox++;
    }
  }
  // Text lies inside the detector's box; background spreads evenly over box and margin.
  const boxShare = pieceInBox / piece.length;
  const minInBox = boxShare + 0.6 * (1 - boxShare);
  let main = 0;
  for (let j = 1; j < kk; j++) if (onBorder[j]! > onBorder[main]!) main = j;
  const isText = new Uint8Array(kk);
  const centre = (j: number, c: number) => clusters.centres[j * 3 + c]!;
  const isBgCluster = (j: number) => j === main || (onBorder[j]! / borderIdx.length) / (inPiece[j]! / piece.length) >= (relaxed ? 0.6 : 0.35);
  let textClusters = 0;
  for (let j = 0; j < kk; j++) {
    if (isBgCluster(j) || inBox[j]! / inPiece[j]! < minInBox) continue;
    // Distinct from the local background and from every background shade (ΔE).
    let nearestBg = Math.hypot(centre(j, 0), centre(j, 1), centre(j, 2));
    for (let g = 0; g < kk; g++) {
      if (g === j || !isBgCluster(g)) continue;
      nearestBg = Math.min(nearestBg, Math.hypot(centre(j, 0) - centre(g, 0), centre(j, 1) - centre(g, 1), centre(j, 2) - centre(g, 2)));
    }
    if (nearestBg < MIN_CONTRAST) continue;
    isText[j] = 1;
    textClusters++;
  }
  if (textClusters === 0) return null;

  const text = new Uint8Array(piece.length);
  let total = 0;
  let inside = 0;
  let insideText = 0;
  let outside = 0;
  let outsideText = 0;
  for (let q = 0; q < piece.length; q++) {
    const i = members[piece[q]!]!;
    const isT = isText[clusters.labels[q]!]!;
    text[q] = isT;
    total += isT;
    if (isBorder(q)) continue;
    if (inRect[i]) {
      inside++;
      insideText += isT;
    } else {
      outside++;
      outsideText += isT;
    }
  }
  const share = total / piece.length;
  if (share < 0.02 || share > 0.65) return null;
  // Text sits inside the detector's box; "text" just as dense in the margin is background texture.
  if (outside > 0 && inside > 0 && outsideText / outside > 0.5 * (insideText / inside)) return null;
  return text;
}

/** Height of the glyph pixels across the line (2nd..98th percentile), or a guess from the box. */
function estimateLineHeight(glyph: Uint8Array, tOf: Float32Array, boxHeight: number): number {
  let count = 0;
  for (let i = 0; i < glyph.length; i++) count += glyph[i]!;
  if (count < 20) return Math.max(1, Math.round(boxHeight * 0.75));
  const ts = new Float32Array(count);
  for (let i = 0, k = 0; i < glyph.length; i++) if (glyph[i]) ts[k++] = tOf[i]!;
  ts.sort(); // typed arrays sort numerically
  const lo = ts[Math.floor(ts.length * 0.02)]!;
  const hi = ts[Math.min(ts.length - 1, Math.floor(ts.length * 0.98))]!;
  return Math.max(1, Math.round(hi - lo + 1));
}
