/** sRGB (8-bit) → CIE L*a*b* (D65). Distances in Lab follow perceived colour difference (ΔE). */

const LINEAR = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

/** Writes L, a, b of one pixel into `out` at `o`. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array, o: number): void {
  const rl = LINEAR[r]!;
  const gl = LINEAR[g]!;
  const bl = LINEAR[b]!;
  const x = f((0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047);
  const y = f(0.2126 * rl + 0.7152 * gl + 0.0722 * bl);
  const z = f((0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883);
  out[o] = 116 * y - 16;
  out[o + 1] = 500 * (x - y);
  out[o + 2] = 200 * (y - z);
}
