/**
 * The background behind a piece of a text line, modelled as a colour plane over the line's own
 * coordinates (s along, t across): a gradient becomes flat once the plane is subtracted.
 */

/** Maps a sample index to its (s, t) position. */
export type Coords = (q: number) => readonly [number, number];
/** Maps a sample index and a channel (0..2) to its colour value. */
export type Colour = (q: number, c: number) => number;

/** Least squares colour = a + b·s + c·t per Lab channel; 9 numbers (a, b, c per channel). */
export function fitPlane(idx: number[], coords: Coords, colour: Colour): Float64Array {
  // Centre s and t for conditioning.
  let ms = 0;
  let mt = 0;
  for (const q of idx) {
    const [s, t] = coords(q);
    ms += s;
    mt += t;
  }
  ms /= idx.length;
  mt /= idx.length;
  let sss = 0;
  let stt = 0;
  let sst = 0;
  const rhs = new Float64Array(9);
  for (const q of idx) {
    const [s0, t0] = coords(q);
    const s = s0 - ms;
    const t = t0 - mt;
    sss += s * s;
    stt += t * t;
    sst += s * t;
    for (let c = 0; c < 3; c++) {
      const v = colour(q, c);
      rhs[c * 3] = rhs[c * 3]! + v;
      rhs[c * 3 + 1] = rhs[c * 3 + 1]! + v * s;
      rhs[c * 3 + 2] = rhs[c * 3 + 2]! + v * t;
    }
  }
  const N = idx.length;
  const det = sss * stt - sst * sst;
  const out = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    const mean = rhs[c * 3]! / N;
    let bs = 0;
    let bt = 0;
    // A degenerate spread (border on one side only) keeps the flat mean colour.
    if (det > 1e-6 * Math.max(1, sss * stt)) {
      bs = (stt * rhs[c * 3 + 1]! - sst * rhs[c * 3 + 2]!) / det;
      bt = (sss * rhs[c * 3 + 2]! - sst * rhs[c * 3 + 1]!) / det;
    }
    out[c * 3] = mean - bs * ms - bt * mt;
    out[c * 3 + 1] = bs;
    out[c * 3 + 2] = bt;
  }
  return out;
}

export function residualNorm(model: Float64Array, q: number, coords: Coords, colour: Colour): number {
  const [s, t] = coords(q);
  let sum = 0;
  for (let c = 0; c < 3; c++) {
    const d = colour(q, c) - (model[c * 3]! + model[c * 3 + 1]! * s + model[c * 3 + 2]! * t);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
