import { describe, expect, it } from 'vitest';
import { findMaskRegions } from '../../../../main/engine/inpaint/mask-regions.js';
import { MinHeap } from '../../../../main/engine/inpaint/min-heap.js';
import { rng } from './synthetic.js';

describe('findMaskRegions', () => {
  it('splits far-apart marks into separate regions with tight boxes and exact counts', () => {
    const W = 203; // odd width: rows start unaligned
    const H = 97;
    const mask = new Uint8Array(W * H);
    const set = (x: number, y: number, v = 255) => (mask[y * W + x] = v);
    for (let y = 10; y < 14; y++) for (let x = 5; x < 25; x++) set(x, y); // 80 px
    set(202, 96); // a single pixel in the last corner
    set(100, 50, 127); // below the threshold: not masked
    set(150, 20, 128); // exactly at the threshold: masked
    const found = findMaskRegions(mask, W, H);
    expect(found.total).toBe(82);
    const boxes = found.regions.map(({ x0, y0, x1, y1, count }) => ({ x0, y0, x1, y1, count }));
    expect(boxes).toEqual(
      expect.arrayContaining([
        { x0: 5, y0: 10, x1: 25, y1: 14, count: 80 },
        { x0: 202, y0: 96, x1: 203, y1: 97, count: 1 },
        { x0: 150, y0: 20, x1: 151, y1: 21, count: 1 },
      ]),
    );
    expect(found.regions).toHaveLength(3);
  });

  it('joins marks in touching cells into one region (glyphs of one word)', () => {
    const W = 128;
    const mask = new Uint8Array(W * 64);
    for (let x = 0; x < 100; x += 12) for (let y = 20; y < 30; y++) mask[y * W + x] = 255; // strokes 12 px apart
    const found = findMaskRegions(mask, W, 64);
    expect(found.regions).toHaveLength(1);
    expect(found.regions[0]).toMatchObject({ x0: 0, x1: 97, y0: 20, y1: 30 });
  });

  it('finds the same regions whatever the alignment of the mask bytes', () => {
    const rand = rng(5);
    const W = 77;
    const H = 61;
    const base = new Uint8Array(W * H);
    for (let i = 0; i < 60; i++) base[Math.floor(rand() * base.length)] = 200;
    const reference = findMaskRegions(base, W, H);
    for (let offset = 1; offset < 4; offset++) {
      const backing = new Uint8Array(base.length + offset);
      backing.set(base, offset);
      const shifted = findMaskRegions(backing.subarray(offset), W, H);
      expect(shifted.regions).toEqual(reference.regions);
      expect(shifted.total).toBe(reference.total);
    }
  });
});

describe('MinHeap', () => {
  it('pops values in key order and grows past its initial capacity', () => {
    const rand = rng(9);
    const heap = new MinHeap(4);
    const keys: number[] = [];
    for (let i = 0; i < 500; i++) {
      const k = Math.fround(rand() * 100);
      keys.push(k);
      heap.push(k, i);
    }
    const popped: number[] = [];
    while (heap.size > 0) popped.push(keys[heap.pop()]!);
    expect(popped).toEqual([...keys].sort((a, b) => a - b));
    expect(heap.pop()).toBe(-1);
  });
});
