// Quality of a fill against the clean original, measured only where the mask is set (the filled area).
// Images are interleaved 8-bit RGB(A); only the first three channels count.

const THRESHOLD = 128;

function luminance(img) {
  const { data, width, height, channels: C } = img;
  const y = new Float64Array(width * height);
  for (let i = 0; i < y.length; i++) y[i] = 0.299 * data[i * C] + 0.587 * data[i * C + 1] + 0.114 * data[i * C + 2];
  return y;
}

/** PSNR (dB) over the RGB values of the masked pixels. */
export function psnr(result, clean, mask) {
  const C = result.channels;
  let se = 0;
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] < THRESHOLD) continue;
    for (let c = 0; c < 3; c++) {
      const d = result.data[i * C + c] - clean.data[i * C + c];
      se += d * d;
      n++;
    }
  }
  if (n === 0) return NaN;
  const mse = se / n;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** Summed-area table of a per-pixel value. */
function sat(values, width, height) {
  const W1 = width + 1;
  const s = new Float64Array(W1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      s[(y + 1) * W1 + x + 1] = s[y * W1 + x + 1] + row;
    }
  }
  return s;
}

/**
 * SSIM (Wang et al. 2004) on luminance with 7×7 uniform windows, averaged over windows centred on masked
 * pixels. Windows are clipped at the image border.
 */
export function ssim(result, clean, mask, radius = 3) {
  const { width, height } = clean;
  const a = luminance(result);
  const b = luminance(clean);
  const n = width * height;
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  const ab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    aa[i] = a[i] * a[i];
    bb[i] = b[i] * b[i];
    ab[i] = a[i] * b[i];
  }
  const [Sa, Sb, Saa, Sbb, Sab] = [a, b, aa, bb, ab].map((v) => sat(v, width, height));
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  const W1 = width + 1;
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      if (mask.data[y * width + x] < THRESHOLD) continue;
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const box = (S) => S[y1 * W1 + x1] - S[y0 * W1 + x1] - S[y1 * W1 + x0] + S[y0 * W1 + x0];
      const m = (y1 - y0) * (x1 - x0);
      const ma = box(Sa) / m;
      const mb = box(Sb) / m;
      const va = box(Saa) / m - ma * ma;
      const vb = box(Sbb) / m - mb * mb;
      const cov = box(Sab) / m - ma * mb;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      count++;
    }
  }
  return count ? sum / count : NaN;
}

/** Mean luminance gradient magnitude (central differences) over the masked pixels: "texture energy". */
export function textureEnergy(img, mask) {
  const { width, height } = img;
  const y = luminance(img);
  let sum = 0;
  let n = 0;
  for (let r = 1; r < height - 1; r++) {
    for (let x = 1; x < width - 1; x++) {
      const i = r * width + x;
      if (mask.data[i] < THRESHOLD) continue;
      const gx = (y[i + 1] - y[i - 1]) / 2;
      const gy = (y[i + width] - y[i - width]) / 2;
      sum += Math.sqrt(gx * gx + gy * gy);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** PSNR per image is capped here: a perfect fill of a flat area would otherwise swamp every average. */
export const PSNR_CAP = 50;

/**
 * All figures for one fill. texErr = |energy(result) − energy(clean)|; energies are returned too, so that
 * a set-wide ratio can be formed (a per-image ratio explodes on flat areas).
 */
export function fillQuality(result, clean, mask) {
  const energy = textureEnergy(result, mask);
  const cleanEnergy = textureEnergy(clean, mask);
  return {
    psnr: Math.min(PSNR_CAP, psnr(result, clean, mask)),
    ssim: ssim(result, clean, mask),
    texErr: Math.abs(energy - cleanEnergy),
    energy,
    cleanEnergy,
  };
}

/** Bytes that differ outside the mask (must be 0 for any method that keeps untouched pixels). */
export function changedOutside(result, original, mask) {
  const C = result.channels;
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] >= THRESHOLD) continue;
    for (let c = 0; c < C; c++) if (result.data[i * C + c] !== original.data[i * C + c]) n++;
  }
  return n;
}
