import { describe, expect, it } from 'vitest';
import { FILL, KNOWN, SKIP, type FillCrop } from '../../../../../main/engine/inpaint/fill-types.js';
import { downsample, K, levelFromCrop, T } from '../../../../../main/engine/inpaint/patchmatch/pm-level.js';
import { findSources } from '../../../../../main/engine/inpaint/patchmatch/sources.js';

/** A 60×40 crop: a masked bar (FILL), a stray masked blob of another region (SKIP), the rest known. */
function crop(): FillCrop {
  const width = 60;
  const height = 40;
  const state = new Uint8Array(width * height).fill(KNOWN);
  for (let y = 15; y < 22; y++) for (let x = 10; x < 45; x++) state[y * width + x] = FILL;
  for (let y = 30; y < 34; y++) for (let x = 50; x < 54; x++) state[y * width + x] = SKIP;
  const pixels = new Float32Array(width * height * 3).map((_, i) => (i * 7) % 255);
  let fillCount = 0;
  for (const s of state) if (s === FILL) fillCount++;
  return { width, height, channels: 3, pixels, state, fillCount };
}

describe('patchmatch source patches', () => {
  it('are whole known windows kept a guard band away from every masked pixel and the crop edge', () => {
    const R = 3;
    const guard = 1;
    const level = levelFromCrop(crop(), [0, 1, 2], R);
    const { valid, list } = findSources(level, R, guard);
    expect(list.length).toBeGreaterThan(100);
    const { w, h, st } = level;
    for (let i = 0; i < valid.length; i++) {
      const x = i % w;
      const y = (i / w) | 0;
      let clean = x - R - guard >= 0 && y - R - guard >= 0 && x + R + guard < w && y + R + guard < h;
      for (let dy = -R - guard; clean && dy <= R + guard; dy++) {
        for (let dx = -R - guard; dx <= R + guard; dx++) if (st[(y + dy) * w + x + dx] !== K) clean = false;
      }
      expect(valid[i] === 1, `source flag at (${x}, ${y})`).toBe(clean);
    }
    expect([...list]).toEqual([...valid.keys()].filter((i) => valid[i] === 1));
  });

  it('halve into a coarser level where any masked child makes a target and only all-known children stay known', () => {
    const level = levelFromCrop(crop(), [0, 1, 2], 3);
    const coarse = downsample(level);
    expect(coarse.w - 2 * coarse.pad).toBe(30);
    expect(coarse.h - 2 * coarse.pad).toBe(20);
    const at = (x: number, y: number) => coarse.st[(y + coarse.pad) * coarse.w + x + coarse.pad];
    expect(at(5, 7)).toBe(T); // fine (10..11, 14..15): rows 15 is masked
    expect(at(4, 7)).toBe(K);
    expect(at(25, 15)).not.toBe(K); // the other region's blob is no source
    expect(coarse.targets.length).toBeGreaterThan(0);
    for (const t of coarse.targets) expect(coarse.st[t]).toBe(T);
  });
});
