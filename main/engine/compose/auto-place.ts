import type { LayerTransform } from '../../../preload/contract/ad-layout.js';
import type { BusyMap } from './free-space.js';
import type { GroundLine } from './ground-line.js';

/**
 * "Auto place": a suggestion the user can accept or move.
 * - Arrangement: copy above the products (stacked) on upright and square canvases; copy on the left,
 *   products on the right third on wide banners.
 * - Products stand on the ground line (their solid silhouette's bottom on it), side by side as a
 *   group, the first one largest; sized to the room between the copy and the ground.
 * - The group's centre goes to the canvas centre or a third line (rule of thirds), whichever has the
 *   quietest background (least gradient energy) — with a lean toward the centre when the copy is
 *   centred above, and toward the thirds otherwise.
 */
export interface AutoProduct {
  /** Index in the layout's layer list. */
  index: number;
  /** Bounds of the solid silhouette in the product image's own px. */
  bounds: { x: number; y: number; width: number; height: number };
}

/** What placement needs of laid-out text: its box (the CLI passes its full TextBlock through). */
export interface BlockSize {
  width: number;
  height: number;
}

export interface AutoText<B extends BlockSize = BlockSize> {
  index: number;
  /** Lays the text out for a wrap width (px). */
  layout(width: number): B;
  /** Present when the layer has its own width. */
  width?: number;
  align: 'left' | 'center' | 'right';
  size: number;
}

export interface PlacementInput<B extends BlockSize = BlockSize> {
  width: number;
  height: number;
  ground: GroundLine;
  busy: BusyMap;
  products: AutoProduct[];
  texts: AutoText<B>[];
}

export interface Placement<B extends BlockSize = BlockSize> {
  arrangement: 'stacked' | 'side';
  groundY: number;
  products: Map<number, LayerTransform>;
  texts: Map<number, { transform: LayerTransform; width: number; block: B }>;
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function autoPlace<B extends BlockSize>(input: PlacementInput<B>): Placement<B> {
  const { width: W, height: H, ground } = input;
  const side = W / H >= 1.4;
  const margin = 0.06 * Math.min(W, H);
  const texts = new Map<number, { transform: LayerTransform; width: number; block: B }>();
  const textRects: Rect[] = [];

  // Copy first: the products get the room that is left.
  const boxWidth = side ? 0.46 * W : W - 2 * margin;
  const blocks = input.texts.map((t) => ({ t, block: t.layout(t.width ?? boxWidth) }));
  const gap = (size: number) => 0.3 * size;
  const totalH = blocks.reduce((s, b, i) => s + b.block.height + (i > 0 ? gap(b.t.size) : 0), 0);
  let y = side ? Math.max(margin, (ground.groundY - totalH) / 2) : 0.07 * H;
  for (const { t, block } of blocks) {
    if (texts.size > 0) y += gap(t.size);
    const x = side ? margin : t.align === 'left' ? margin : t.align === 'right' ? W - margin - block.width : (W - block.width) / 2;
    texts.set(t.index, { transform: { x, y, scaleX: 1, scaleY: 1, rotation: 0 }, width: block.width, block });
    textRects.push({ x0: x, y0: y, x1: x + block.width, y1: y + block.height });
    y += block.height;
  }
  const textBottom = textRects.length > 0 && !side ? Math.max(...textRects.map((r) => r.y1)) : 0;

  const products = new Map<number, LayerTransform>();
  if (input.products.length === 0) return { arrangement: side ? 'side' : 'stacked', groundY: ground.groundY, products, texts };

  // Sizes: the hero fills most of the room above the ground; the others a little smaller.
  const top = Math.max(textBottom + 0.04 * H, 0.06 * H);
  const room = ground.groundY - top;
  const heroH = clamp(room, 0.2 * H, (side ? 0.7 : 0.56) * H);
  const scales = input.products.map((p, i) => (heroH * (i === 0 ? 1 : 0.78)) / Math.max(1, p.bounds.height));
  const spacing = 0.03 * W;
  let widths = input.products.map((p, i) => p.bounds.width * scales[i]!);
  let total = widths.reduce((a, b) => a + b, 0) + spacing * (input.products.length - 1);
  const maxW = side ? 0.46 * W : 0.86 * W;
  if (total > maxW) {
    const k = maxW / total;
    scales.forEach((s, i) => (scales[i] = s * k));
    widths = widths.map((w) => w * k);
    total = maxW;
  }
  const groupH = Math.max(...input.products.map((p, i) => p.bounds.height * scales[i]!));

  // Where the group's centre goes.
  const textCentred = input.texts.length > 0 && input.texts.every((t) => t.align === 'center');
  // A third only when the group fits beside it: a product wider than half the canvas set on a third
  // would be pushed against the edge, cramped, with its centre off the third anyway.
  const candidates = side ? [0.72 * W] : total <= 0.5 * W ? [W / 2, W / 3, (2 * W) / 3] : [W / 2];
  let bestX = candidates[0]!;
  let bestScore = Infinity;
  for (const cx of candidates) {
    const x0 = Math.max(cx - total / 2, 0.03 * W);
    const x1 = Math.min(x0 + total, 0.97 * W);
    const rect = { x0: x1 - total, y0: ground.groundY - groupH, x1, y1: ground.groundY };
    const centre = Math.abs(cx - W / 2) < 1;
    const lean = side ? 0 : textCentred ? (centre ? 0 : 0.04) : centre ? 0.015 : 0;
    const overlap = textRects.some((r) => r.x0 < rect.x1 && rect.x0 < r.x1 && r.y0 < rect.y1 && rect.y0 < r.y1) ? 1 : 0;
    const score = input.busy.mean(rect.x0, rect.y0, rect.x1, rect.y1) + lean + overlap;
    if (score < bestScore - 1e-9) {
      bestScore = score;
      bestX = (rect.x0 + rect.x1) / 2;
    }
  }

  let x = bestX - total / 2;
  input.products.forEach((p, i) => {
    const s = scales[i]!;
    products.set(p.index, {
      x: x - p.bounds.x * s,
      y: ground.groundY - (p.bounds.y + p.bounds.height) * s,
      scaleX: s,
      scaleY: s,
      rotation: 0,
    });
    x += widths[i]! + spacing;
  });
  return { arrangement: side ? 'side' : 'stacked', groundY: ground.groundY, products, texts };
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
