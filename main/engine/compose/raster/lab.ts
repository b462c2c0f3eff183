/** sRGB (8-bit) ↔ CIE L*a*b* (D65), for perceptual distances, palettes and tone matching. */

const TO_LINEAR = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const fInv = (t: number) => (t > 0.206893 ? t * t * t : (t - 16 / 116) / 7.787);
const toSrgb = (l: number) => {
  const v = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  return v <= 0 ? 0 : v >= 1 ? 255 : v * 255;
};

/** Writes L, a, b of one 8-bit pixel into `out` at `o`. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array | number[], o = 0): void {
  const rl = TO_LINEAR[r | 0]!;
  const gl = TO_LINEAR[g | 0]!;
  const bl = TO_LINEAR[b | 0]!;
  const x = f((0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047);
  const y = f(0.2126 * rl + 0.7152 * gl + 0.0722 * bl);
  const z = f((0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883);
  out[o] = 116 * y - 16;
  out[o + 1] = 500 * (x - y);
  out[o + 2] = 200 * (y - z);
}

/** Writes r, g, b (floats 0..255, clamped) of a Lab colour into `out` at `o`. */
export function labToRgb(L: number, a: number, b: number, out: Float32Array | number[], o = 0): void {
  const fy = (L + 16) / 116;
  const x = 0.95047 * fInv(fy + a / 500);
  const y = fInv(fy);
  const z = 1.08883 * fInv(fy - b / 200);
  out[o] = toSrgb(3.2406 * x - 1.5372 * y - 0.4986 * z);
  out[o + 1] = toSrgb(-0.9689 * x + 1.8758 * y + 0.0415 * z);
  out[o + 2] = toSrgb(0.0557 * x - 0.204 * y + 1.057 * z);
}

export type Rgb = [number, number, number];

export function labOf(rgb: Rgb): Rgb {
  const out: Rgb = [0, 0, 0];
  rgbToLab(rgb[0], rgb[1], rgb[2], out);
  return out;
}

export function rgbOf(lab: Rgb): Rgb {
  const out: Rgb = [0, 0, 0];
  labToRgb(lab[0], lab[1], lab[2], out);
  return out;
}

/** Lab from lightness, chroma and hue (degrees). */
export function lch(L: number, C: number, hDeg: number): Rgb {
  const h = (hDeg * Math.PI) / 180;
  return [L, C * Math.cos(h), C * Math.sin(h)];
}

/** Chroma and hue (degrees, 0..360) of a Lab colour. */
export function chromaHue(lab: Rgb): { C: number; h: number } {
  const h = (Math.atan2(lab[2], lab[1]) * 180) / Math.PI;
  return { C: Math.hypot(lab[1], lab[2]), h: h < 0 ? h + 360 : h };
}

export function deltaE(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
