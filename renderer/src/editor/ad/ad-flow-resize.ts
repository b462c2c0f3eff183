import { LIMITS } from '../../../../preload/contract/limits';
import type { Transform } from '../../../../preload/contract/document';
import type { AdLayerRecord, TextRecord } from '../../document/ad-records';
import type { Draft } from '../../document/types';
import type { MessageKey } from '../../i18n/translate';
import { layerCorners } from './transform-math';

export interface Size {
  width: number;
  height: number;
}

/** Smallest side an ad may have (the background stage draws 16 px and up). */
export const MIN_AD_SIDE = 16;

/** A custom size the user typed: whole pixels within LIMITS, or the reason it is not. */
export function checkAdSize(width: number, height: number): MessageKey | null {
  if (!Number.isInteger(width) || !Number.isInteger(height)) return 'ad.size.errorWhole';
  if (width < MIN_AD_SIDE || height < MIN_AD_SIDE) return 'ad.size.errorSmall';
  if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) return 'ad.size.errorLarge';
  return null;
}

/**
 * A layer after the canvas goes from `from` to `to`: its centre keeps its place relative to the
 * canvas (same fraction across and down), its size follows the canvas by one uniform factor (the
 * smaller of the two ratios, so nothing is distorted and a layer that fitted still fits).
 * `box` is the layer's own width×height before its transform (text: as measured).
 */
export function resizedTransform(t: Transform, box: Size, from: Size, to: Size): Transform {
  const s = Math.min(to.width / from.width, to.height / from.height);
  const corners = layerCorners(t, box.width, box.height);
  const cx = corners.reduce((a, p) => a + p.x, 0) / 4;
  const cy = corners.reduce((a, p) => a + p.y, 0) / 4;
  const nx = (cx / from.width) * to.width;
  const ny = (cy / from.height) * to.height;
  return { ...t, x: nx + (t.x - cx) * s, y: ny + (t.y - cy) * s };
}

export function sizeFactor(from: Size, to: Size): number {
  return Math.min(to.width / from.width, to.height / from.height);
}

/** Text grows by its font size (crisp, and the inspector shows real px), not by a transform scale. */
export function scaledTextProps(p: TextRecord['props'], s: number): TextRecord['props'] {
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    ...p,
    font: { ...p.font, size: Math.min(2000, Math.max(1, round(p.font.size * s))) },
    letterSpacing: round(p.letterSpacing * s),
    ...(p.width !== undefined ? { width: Math.min(LIMITS.maxSide, Math.max(1, round(p.width * s))) } : {}),
    ...(p.stroke ? { stroke: { ...p.stroke, width: round(p.stroke.width * s) } } : {}),
    ...(p.shadow ? { shadow: { ...p.shadow, blur: round(p.shadow.blur * s), offsetX: round(p.shadow.offsetX * s), offsetY: round(p.shadow.offsetY * s) } } : {}),
  };
}

/**
 * The whole ad to a new canvas size inside one transaction. `measure` gives a layer's own box
 * (products: their pixels; text: the view's measurement). The background fills any size by itself.
 */
export function resizeAd(d: Draft, to: Size, measure: (r: AdLayerRecord) => Size): void {
  const m = d.meta();
  const from = { width: m.width, height: m.height };
  if (from.width === to.width && from.height === to.height) return;
  const s = sizeFactor(from, to);
  for (const r of d.all()) {
    if (r.type === 'product') {
      const t = resizedTransform(r.transform, measure(r), from, to);
      d.update<AdLayerRecord>(r.id, (x) => ({ ...x, transform: { ...t, scaleX: x.transform.scaleX * s, scaleY: x.transform.scaleY * s } }));
    } else if (r.type === 'text') {
      const t = resizedTransform(r.transform, measure(r), from, to);
      d.update<TextRecord>(r.id, (x) => ({ ...x, transform: t, props: scaledTextProps(x.props, s) }));
    }
  }
  d.setMeta((x) => ({ ...x, width: to.width, height: to.height }));
}

/** Own box of a text layer without a view: its wrap width (or an estimate) × its lines. */
export function estimateTextBox(p: TextRecord['props']): Size {
  const lines = p.text.split('\n');
  const longest = Math.max(...lines.map((l) => [...l].length), 1);
  // Hangul is about one em wide, Latin about half: 0.8 em per character is a fair middle.
  const width = p.width ?? longest * p.font.size * 0.8 + Math.max(0, longest - 1) * p.letterSpacing;
  return { width: Math.max(1, width), height: Math.max(1, lines.length * p.font.size * p.lineHeight) };
}

/** Products' own box is their pixels. */
export function ownBox(r: AdLayerRecord, text: (r: TextRecord) => Size = (t) => estimateTextBox(t.props)): Size {
  return r.type === 'product' ? { width: r.props.width, height: r.props.height } : text(r);
}
