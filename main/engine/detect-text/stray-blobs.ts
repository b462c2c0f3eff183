/**
 * Removes glyph blobs lying mostly outside the detector's box: something of the text's colour next to
 * the line (a dark branch beside dark lettering), not part of it. Descenders hanging out stay.
 */
export function dropStrays(glyph: Uint8Array, inRect: Uint8Array, width: number, height: number): void {
  const seen = new Uint8Array(glyph.length);
  const stack: number[] = [];
  const blob: number[] = [];
  for (let seed = 0; seed < glyph.length; seed++) {
    if (!glyph[seed] || seen[seed]) continue;
    seen[seed] = 1;
    stack.push(seed);
    blob.length = 0;
    let inside = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      blob.push(p);
      inside += inRect[p]!;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (glyph[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (inside < blob.length / 2) for (const p of blob) glyph[p] = 0;
  }
}
