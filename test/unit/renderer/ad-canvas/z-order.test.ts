import { describe, expect, it } from 'vitest';
import { keysBetween } from '../../../../renderer/src/document/fractional-index';
import { topKey, zKeyFor, type ZLayer, type ZMove } from '../../../../renderer/src/editor/ad/z-order';

function order(layers: ZLayer[], id: string, move: ZMove, floor: string | null): string[] | null {
  const z = zKeyFor(layers, id, move, floor);
  if (z === null) return null;
  return layers
    .map((l) => (l.id === id ? { ...l, z } : l))
    .sort((a, b) => (a.z < b.z ? -1 : 1))
    .map((l) => l.id);
}

describe('ad z-order', () => {
  const [floor, ...keys] = keysBetween(null, null, 5);
  const layers = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, z: keys[i]! }));

  it('moves one step or to either end, changing only the moved layer', () => {
    expect(order(layers, 'b', 'forward', floor!)).toEqual(['a', 'c', 'b', 'd']);
    expect(order(layers, 'c', 'backward', floor!)).toEqual(['a', 'c', 'b', 'd']);
    expect(order(layers, 'a', 'front', floor!)).toEqual(['b', 'c', 'd', 'a']);
    expect(order(layers, 'd', 'back', floor!)).toEqual(['d', 'a', 'b', 'c']);
    expect(order(layers, 'b', 'backward', floor!)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('keeps layers above the background and says when there is nowhere to go', () => {
    const back = zKeyFor(layers, 'c', 'back', floor!)!;
    expect(back > floor!).toBe(true);
    expect(zKeyFor(layers, 'd', 'forward', floor!)).toBeNull();
    expect(zKeyFor(layers, 'a', 'back', floor!)).toBeNull();
    expect(topKey(layers, floor!) > keys[3]!).toBe(true);
    expect(topKey([], floor!) > floor!).toBe(true);
  });
});
