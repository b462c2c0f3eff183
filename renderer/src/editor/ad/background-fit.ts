/**
 * How a background image of iw×ih fills a W×H ad (the record's `fit`), as a drawImage source crop
 * and destination rectangle. Shared by the canvas (Konva crop) and the effects worker, so tone match
 * and light wrap see exactly the backdrop the user sees. `contain` leaves white around it.
 */
export type BackgroundFit = 'cover' | 'contain' | 'stretch';

export interface FitRects {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

export function backgroundRects(fit: BackgroundFit, iw: number, ih: number, W: number, H: number): FitRects {
  if (fit === 'stretch') return { sx: 0, sy: 0, sw: iw, sh: ih, dx: 0, dy: 0, dw: W, dh: H };
  if (fit === 'cover') {
    const k = Math.max(W / iw, H / ih);
    const sw = W / k;
    const sh = H / k;
    return { sx: (iw - sw) / 2, sy: (ih - sh) / 2, sw, sh, dx: 0, dy: 0, dw: W, dh: H };
  }
  const k = Math.min(W / iw, H / ih);
  const dw = iw * k;
  const dh = ih * k;
  return { sx: 0, sy: 0, sw: iw, sh: ih, dx: (W - dw) / 2, dy: (H - dh) / 2, dw, dh };
}

export const CONTAIN_FILL = '#ffffff';
