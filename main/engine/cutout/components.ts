/**
 * 4-connected component labelling of a binary mask: label per pixel (0 = not in the mask) and the
 * area of each label (index = label). Iterative, no recursion: safe on 100-megapixel masks.
 */
export function labelComponents(mask: Uint8Array, width: number, height: number): { labels: Int32Array; areas: number[] } {
  const labels = new Int32Array(width * height);
  const areas = [0];
  const stack = new Int32Array(width * height);
  let next = 1;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || labels[s]) continue;
    let top = 0;
    stack[top++] = s;
    labels[s] = next;
    let area = 0;
    while (top > 0) {
      const p = stack[--top]!;
      area++;
      const x = p % width;
      if (x > 0 && mask[p - 1] && !labels[p - 1]) {
        labels[p - 1] = next;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && mask[p + 1] && !labels[p + 1]) {
        labels[p + 1] = next;
        stack[top++] = p + 1;
      }
      if (p >= width && mask[p - width] && !labels[p - width]) {
        labels[p - width] = next;
        stack[top++] = p - width;
      }
      if (p < mask.length - width && mask[p + width] && !labels[p + width]) {
        labels[p + width] = next;
        stack[top++] = p + width;
      }
    }
    areas.push(area);
    next++;
  }
  return { labels, areas };
}

/** Labels whose component touches the image border. */
export function borderLabels(labels: Int32Array, width: number, height: number): Set<number> {
  const out = new Set<number>();
  const add = (i: number) => {
    if (labels[i]) out.add(labels[i]!);
  };
  for (let x = 0; x < width; x++) {
    add(x);
    add((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    add(y * width);
    add(y * width + width - 1);
  }
  return out;
}

/**
 * Drops specks from an alpha matte: components of alpha ≥ 0.5 smaller than `minShare` of the largest
 * (and of the image) become transparent, with their soft rim.
 */
export function dropSpecks(alpha: Float32Array, width: number, height: number, minShare = 0.02): void {
  const solid = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) solid[i] = alpha[i]! >= 0.5 ? 1 : 0;
  const { labels, areas } = labelComponents(solid, width, height);
  const largest = Math.max(0, ...areas);
  const min = Math.max(minShare * largest, 0.0002 * alpha.length);
  const drop = new Uint8Array(areas.length);
  let any = false;
  for (let l = 1; l < areas.length; l++) if (areas[l]! < min) {
      drop[l] = 1;
      any = true;
    }
  if (!any) return;
  // The soft rim around a dropped speck (alpha < 0.5) goes too: flood from the speck outwards.
  const stack: number[] = [];
  for (let i = 0; i < alpha.length; i++) {
    if (drop[labels[i]!]) {
      alpha[i] = 0;
      stack.push(i);
    }
  }
  while (stack.length > 0) {
    const p = stack.pop()!;
    const x = p % width;
    for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
      if (q < 0 || q >= alpha.length) continue;
      if (alpha[q]! > 0 && alpha[q]! < 0.5) {
        alpha[q] = 0;
        stack.push(q);
      }
    }
  }
}
