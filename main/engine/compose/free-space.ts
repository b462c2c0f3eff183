/**
 * How busy each part of a background is (mean gradient magnitude), queried per rectangle in O(1)
 * through a summed-area table. Auto place puts products where the background is quiet.
 */
export interface BusyMap {
  /** Mean busyness (0..~1) over a rectangle of the canvas; outside parts count as busy. */
  mean(x0: number, y0: number, x1: number, y1: number): number;
}

export function busyMap(rgb: Uint8Array, width: number, height: number, channels = 3): BusyMap {
  const s = Math.max(1, Math.floor(Math.max(width, height) / 256));
  const w = Math.floor(width / s);
  const h = Math.floor(height / s);
  const Y = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * s * width + x * s) * channels;
      Y[y * w + x] = (0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!) / 255;
    }
  }
  const sat = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gx = x + 1 < w ? Y[i + 1]! - Y[i]! : 0;
      const gy = y + 1 < h ? Y[i + w]! - Y[i]! : 0;
      row += Math.min(1, Math.hypot(gx, gy) * 8);
      sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1]! + row;
    }
  }
  return {
    mean(x0, y0, x1, y1) {
      const outside = Math.max(0, -x0) + Math.max(0, x1 - width) + Math.max(0, -y0) + Math.max(0, y1 - height);
      const a = clamp(Math.floor(x0 / s), 0, w);
      const b = clamp(Math.floor(y0 / s), 0, h);
      const c = clamp(Math.ceil(x1 / s), 0, w);
      const d = clamp(Math.ceil(y1 / s), 0, h);
      const area = (c - a) * (d - b);
      if (area <= 0) return 1;
      const sum = sat[d * (w + 1) + c]! - sat[b * (w + 1) + c]! - sat[d * (w + 1) + a]! + sat[b * (w + 1) + a]!;
      return sum / area + (outside > 0 ? 1 : 0);
    },
  };
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
