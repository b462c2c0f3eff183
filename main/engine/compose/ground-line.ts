/**
 * Where products stand on a background image: the strongest long horizontal edge in the lower part of
 * the frame (a table's back edge, the line where wall meets floor) is the horizon; products stand a
 * little in front of it. Without one (a seamless sweep, a texture), the ground is at 80 % of the height.
 */
export interface GroundLine {
  /** Row of the detected horizon, or null. */
  horizonY: number | null;
  /** Row where a product's base goes. */
  groundY: number;
  /** 0..1: how clearly the horizon stands out (0 when none). */
  confidence: number;
}

/** Share of the distance from the horizon to the bottom edge at which products stand. */
export const GROUND_DEPTH = 0.42;
export const DEFAULT_GROUND = 0.8;

export function groundFromHorizon(horizonY: number | null, height: number): number {
  return Math.round(horizonY === null ? DEFAULT_GROUND * height : horizonY + GROUND_DEPTH * (height - horizonY));
}

export function detectGroundLine(rgb: Uint8Array, width: number, height: number, channels = 3): GroundLine {
  // Work on a strip of columns at most 320 wide: a horizon spans the frame, detail does not matter.
  const step = Math.max(1, Math.floor(width / 320));
  const cols = Math.floor(width / step);
  const Y = new Float32Array(cols * height);
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < cols; c++) {
      const o = (y * width + c * step) * channels;
      Y[y * cols + c] = 0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!;
    }
  }
  // Edge across ±k rows: soft coves (a blurred wall/floor line) still register.
  const k = Math.max(2, Math.round(height * 0.01));
  let best = -1;
  let bestScore = 0;
  let bestMean = 0;
  let bestAgree = 0;
  const y0 = Math.max(k, Math.round(height * 0.3));
  const y1 = Math.min(height - k - 1, Math.round(height * 0.92));
  for (let y = y0; y <= y1; y++) {
    let sum = 0;
    let pos = 0;
    let neg = 0;
    for (let c = 0; c < cols; c++) {
      let above = 0;
      let below = 0;
      for (let d = 1; d <= k; d++) {
        above += Y[(y - d) * cols + c]!;
        below += Y[(y + d) * cols + c]!;
      }
      const diff = (below - above) / k;
      sum += diff;
      if (diff > 2) pos++;
      else if (diff < -2) neg++;
    }
    const mean = Math.abs(sum / cols);
    const agree = Math.max(pos, neg) / cols;
    const score = mean * agree * agree;
    if (score > bestScore) {
      bestScore = score;
      best = y;
      bestMean = mean;
      bestAgree = agree;
    }
  }
  // A horizon is a consistent step across most of the width (not a bokeh disc, not a vein).
  if (best < 0 || bestMean < 3 || bestAgree < 0.6) return { horizonY: null, groundY: groundFromHorizon(null, height), confidence: 0 };
  // Refine to the steepest single row within the window.
  let refined = best;
  let steepest = -1;
  for (let y = Math.max(1, best - k); y <= Math.min(height - 2, best + k); y++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += Y[(y + 1) * cols + c]! - Y[(y - 1) * cols + c]!;
    if (Math.abs(s) > steepest) {
      steepest = Math.abs(s);
      refined = y;
    }
  }
  return { horizonY: refined, groundY: groundFromHorizon(refined, height), confidence: Math.min(1, (bestMean / 20) * bestAgree) };
}
