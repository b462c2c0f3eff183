import { keyBetween } from '../../document/fractional-index';

/**
 * Z-order moves for ad layers (products and text), as the one new fractional key the moved layer
 * gets: nothing else is rewritten, so a move is a one-record patch. `layers` are bottom first;
 * `floor` is the background's key (layers stay above it). Null: already there.
 */
export type ZMove = 'forward' | 'backward' | 'front' | 'back';

export interface ZLayer {
  id: string;
  z: string;
}

export function zKeyFor(layers: readonly ZLayer[], id: string, move: ZMove, floor: string | null = null): string | null {
  const i = layers.findIndex((l) => l.id === id);
  if (i < 0) return null;
  const last = layers.length - 1;
  const key = (k: number) => layers[k]?.z ?? null;
  const base = floor !== null && (layers[0] === undefined || floor < layers[0].z) ? floor : null;
  switch (move) {
    case 'forward':
      return i === last ? null : keyBetween(key(i + 1), key(i + 2));
    case 'front':
      return i === last ? null : keyBetween(key(last), null);
    case 'backward':
      return i === 0 ? null : keyBetween(i >= 2 ? key(i - 2) : base, key(i - 1));
    case 'back':
      return i === 0 ? null : keyBetween(base, key(0));
  }
}

/** Key for a new layer on top of everything. */
export function topKey(layers: readonly ZLayer[], floor: string | null): string {
  const top = layers.at(-1)?.z ?? floor;
  return keyBetween(top ?? null, null);
}
