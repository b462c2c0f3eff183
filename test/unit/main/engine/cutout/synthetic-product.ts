/**
 * A product shot with known alpha: a red bottle-like ellipse (with a highlight) on a graded paper
 * backdrop with a little noise, composited I = αF + (1 − α)B from a 4×4 supersampled coverage.
 */
export interface SyntheticShot {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** True coverage 0..1. */
  alpha: Float32Array;
  /** True product colour per pixel (before mixing with the backdrop). */
  fg: Float32Array;
}

export function syntheticShot(width = 360, height = 300): SyntheticShot {
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  const alpha = new Float32Array(n);
  const fg = new Float32Array(n * 3);
  const cx = width * 0.52;
  const cy = height * 0.5;
  const rx = width * 0.2;
  const ry = height * 0.36;
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed / 4294967296 - 0.5) * 4;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let cover = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = (x + (sx + 0.5) / 4 - cx) / rx;
          const v = (y + (sy + 0.5) / 4 - cy) / ry;
          if (u * u + v * v <= 1) cover++;
        }
      }
      const a = cover / 16;
      const t = y / height;
      const B = [236 - 30 * t, 238 - 28 * t, 242 - 22 * t];
      const hl = Math.max(0, 1 - Math.hypot((x - (cx - rx * 0.35)) / (rx * 0.3), (y - (cy - ry * 0.3)) / (ry * 0.5)));
      const F = [190 + 50 * hl, 35 + 60 * hl, 45 + 55 * hl];
      alpha[i] = a;
      for (let c = 0; c < 3; c++) {
        fg[i * 3 + c] = F[c]!;
        const v = a * F[c]! + (1 - a) * B[c]! + noise();
        rgb[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { rgb, width, height, alpha, fg };
}
