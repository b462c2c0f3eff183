import { describe, expect, it } from 'vitest';
import { squaredDistance } from '../../../../../main/engine/detect-text/distance.js';
import { rng } from '../synthetic.js';

describe('squared distance transform', () => {
  it('equals brute force on random sparse masks', () => {
    const rand = rng(7);
    for (const [w, h, density] of [[37, 23, 0.02], [40, 30, 0.005], [15, 40, 0.2]] as const) {
      const on = Uint8Array.from({ length: w * h }, () => (rand() < density ? 1 : 0));
      on[0] = 1;
      const d = squaredDistance(on, w, h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let best = Infinity;
          for (let j = 0; j < w * h; j++) if (on[j]) best = Math.min(best, (x - (j % w)) ** 2 + (y - Math.floor(j / w)) ** 2);
          expect(d[y * w + x]).toBe(best);
        }
      }
    }
  });

  it('is Infinity everywhere without any "on" pixel', () => {
    expect([...squaredDistance(new Uint8Array(12), 4, 3)].every((v) => v === Infinity)).toBe(true);
  });
});
