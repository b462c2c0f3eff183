import { gaussianBlur } from '../../compose/raster/blur.js';
import type { Rgb } from '../../compose/raster/lab.js';
import { addGrain, createCanvas, mix, smooth } from '../canvas.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/**
 * Soft window light: a wall and floor meeting in a soft cove, with the blurred, slanted shape of a
 * paned window falling on the wall from one side.
 */
export const windowLight: Preset = {
  mood: 'light',
  description: 'wall and floor with the soft, slanted light of a paned window falling across the wall',
  render({ width: W, height: H, rng, scheme, seed, side }) {
    const c = createCanvas(W, H);
    const hY = Math.round(H * rng.range(0.6, 0.7));
    const floorCol = mix(scheme.base, scheme.surface, 0.6);
    const cove = 0.012 * H;
    const fromLeft = rng.next() < 0.5;
    for (let y = 0; y < H; y++) {
      const wallT = smooth(0, hY, y);
      const wall = mix(mix(scheme.shade, scheme.base, 0.55), scheme.base, wallT);
      const floor = mix(floorCol, scheme.light, 0.4 * smooth(hY, H, y));
      const col = mix(wall, floor, smooth(hY - cove, hY + cove, y));
      for (let x = 0, o = y * W * 3; x < W; x++, o += 3) {
        // Darker away from the window.
        const away = fromLeft ? x / W : 1 - x / W;
        const k = 1 - 0.14 * away;
        c.px[o] = col[0] * k;
        c.px[o + 1] = col[1] * k;
        c.px[o + 2] = col[2] * k;
      }
    }

    // The window's light on a quarter-resolution grid, blurred, then added.
    const g = 4;
    const gw = Math.ceil(W / g);
    const gh = Math.ceil(H / g);
    const light = new Float32Array(gw * gh);
    const cols = rng.int(2, 3);
    const rows = 2;
    const ww = W * rng.range(0.38, 0.5);
    const wh = hY * rng.range(0.6, 0.78);
    const cx = fromLeft ? W * rng.range(0.45, 0.62) : W * rng.range(0.38, 0.55);
    const cy = hY * rng.range(0.38, 0.48);
    const shear = (fromLeft ? 1 : -1) * rng.range(0.25, 0.5);
    const bar = Math.max(2, ww * 0.035);
    for (let gy = 0; gy < gh; gy++) {
      const y = gy * g;
      if (y > hY) break;
      for (let gx = 0; gx < gw; gx++) {
        const x = gx * g - (y - cy) * shear;
        const u = x - (cx - ww / 2);
        const v = y - (cy - wh / 2);
        if (u < 0 || v < 0 || u > ww || v > wh) continue;
        const pu = (u / ww) * cols;
        const pv = (v / wh) * rows;
        const nearBar = Math.min(Math.abs(pu - Math.round(pu)) * (ww / cols), Math.abs(pv - Math.round(pv)) * (wh / rows));
        if (nearBar < bar / 2) continue;
        light[gy * gw + gx] = 1;
      }
    }
    gaussianBlur(light, gw, gh, 1, (0.012 * side) / g);
    const warm: Rgb = [1.0, 0.97, 0.9];
    const strength = rng.range(0.16, 0.24);
    for (let y = 0; y < H; y++) {
      const gy = Math.min(gh - 1, y / g);
      const y0 = Math.floor(gy);
      const y1 = Math.min(gh - 1, y0 + 1);
      const ty = gy - y0;
      for (let x = 0; x < W; x++) {
        const gx = Math.min(gw - 1, x / g);
        const x0 = Math.floor(gx);
        const x1 = Math.min(gw - 1, x0 + 1);
        const tx = gx - x0;
        const a = light[y0 * gw + x0]! + (light[y0 * gw + x1]! - light[y0 * gw + x0]!) * tx;
        const b = light[y1 * gw + x0]! + (light[y1 * gw + x1]! - light[y1 * gw + x0]!) * tx;
        const l = (a + (b - a) * ty) * strength;
        if (l <= 0) continue;
        const o = (y * W + x) * 3;
        c.px[o] = c.px[o]! * (1 + l * warm[0]) + 6 * l;
        c.px[o + 1] = c.px[o + 1]! * (1 + l * warm[1]) + 5 * l;
        c.px[o + 2] = c.px[o + 2]! * (1 + l * warm[2]);
      }
    }
    addGrain(c, 1.2, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: hY };
  },
};
