/** Deterministic PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** Indices whose value differs between two masks. */
export function changedIndices(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/** A mask that looks like detected text: rows of glyph-sized blocks. */
export function textLikeMask(width: number, height: number, seed = 1): Uint8Array {
  const rand = rng(seed);
  const mask = new Uint8Array(width * height);
  for (let line = 0; line < 12; line++) {
    const y0 = Math.floor(rand() * (height - 120));
    const h = 40 + Math.floor(rand() * 60);
    let x = Math.floor(rand() * width * 0.3);
    const end = Math.min(width - 10, x + Math.floor(width * (0.3 + rand() * 0.5)));
    while (x < end) {
      const w = 10 + Math.floor(rand() * 40);
      for (let y = y0; y < y0 + h; y += 1) mask.fill(255, y * width + x, y * width + Math.min(end, x + w));
      x += w + 8 + Math.floor(rand() * 20);
    }
  }
  return mask;
}

/** First index where two byte arrays differ (-1 = identical). Much faster than toEqual on megapixels. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
