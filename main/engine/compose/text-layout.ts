import type { TextLayer } from '../../../preload/contract/ad-layout.js';
import { resolveFont, type BundledFont } from '../fonts/font-catalog.js';
import { fontMetrics, measureText, type FontMetrics } from '../fonts/font-metrics.js';

/**
 * Line breaking and line positions of a text layer, following Konva's Text rules so the editor's
 * canvas and this renderer agree: explicit "\n" breaks, greedy word wrap within `width` (a word
 * longer than the width breaks between characters — normal for Korean), line n's baseline at
 * (ascent − descent)/2 + lineHeightPx/2 + n·lineHeightPx, lines aligned within the box width.
 */
export interface TextLine {
  text: string;
  width: number;
  /** Left edge within the box (alignment applied). */
  x: number;
  baseline: number;
}

export interface TextBlock {
  font: BundledFont;
  lines: TextLine[];
  /** Box size in the layer's own (unscaled) px. */
  width: number;
  height: number;
  /** Characters the font has no glyph for (they would show as boxes). */
  missing: string[];
}

export function layoutText(layer: Pick<TextLayer, 'text' | 'font' | 'align' | 'lineHeight' | 'letterSpacing' | 'width'>): TextBlock {
  const font = resolveFont(layer.font.family, layer.font.weight);
  const m = fontMetrics(font.file);
  const size = layer.font.size;
  const measure = (s: string) => measureText(m, s, size, layer.letterSpacing);
  const raw: string[] = [];
  for (const paragraph of layer.text.replace(/\r\n?/g, '\n').split('\n')) {
    if (layer.width === undefined) raw.push(paragraph);
    else raw.push(...wrap(paragraph, layer.width, measure));
  }
  const widths = raw.map((l) => measure(l));
  const boxWidth = layer.width ?? Math.max(1, ...widths);
  const lineHeightPx = layer.lineHeight * size;
  const ascent = (m.ascender * size) / m.unitsPerEm;
  const descent = (m.descender * size) / m.unitsPerEm;
  const first = (ascent - descent) / 2 + lineHeightPx / 2;
  const lines = raw.map((text, n) => {
    const width = widths[n]!;
    const x = layer.align === 'right' ? boxWidth - width : layer.align === 'center' ? (boxWidth - width) / 2 : 0;
    return { text, width, x, baseline: first + n * lineHeightPx };
  });
  return { font, lines, width: boxWidth, height: raw.length * lineHeightPx, missing: missingGlyphs(m, layer.text) };
}

function wrap(paragraph: string, maxWidth: number, measure: (s: string) => number): string[] {
  if (paragraph === '' || measure(paragraph) <= maxWidth) return [paragraph];
  const out: string[] = [];
  let line = '';
  // Words keep their following spaces; a line's trailing spaces are dropped when it breaks.
  for (const word of paragraph.match(/\S+\s*/g) ?? [paragraph]) {
    const candidate = line + word;
    if (measure(candidate.trimEnd()) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) out.push(line.trimEnd());
    line = '';
    if (measure(word.trimEnd()) <= maxWidth) {
      line = word;
      continue;
    }
    // A word wider than the box: break it between characters.
    let part = '';
    for (const ch of word) {
      if (part && measure((part + ch).trimEnd()) > maxWidth) {
        out.push(part.trimEnd());
        part = '';
      }
      part += ch;
    }
    line = part;
  }
  if (line.trim() || out.length === 0) out.push(line.trimEnd());
  return out;
}

function missingGlyphs(m: FontMetrics, text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x200b || cp === 0xfe0f) continue;
    if (!m.hasGlyph(cp)) out.add(ch);
  }
  return [...out];
}
