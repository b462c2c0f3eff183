import { readFileSync } from 'node:fs';
import { AppError } from '../../../preload/contract/index.js';

/**
 * The few numbers text layout needs from a TrueType/OpenType file, read straight from its tables:
 * units per em, ascender/descender (hhea, what Chromium reports as fontBoundingBoxAscent/Descent and
 * Konva uses to place the baseline) and each character's advance width (cmap → hmtx) for line
 * breaking. Kerning is ignored: it only nudges where a long line wraps.
 */
export interface FontMetrics {
  unitsPerEm: number;
  ascender: number;
  /** Positive: distance below the baseline. */
  descender: number;
  /** Advance width in font units of a code point (the .notdef advance when the font lacks it). */
  advance(codePoint: number): number;
  hasGlyph(codePoint: number): boolean;
}

const cache = new Map<string, FontMetrics>();

export function fontMetrics(file: string): FontMetrics {
  let m = cache.get(file);
  if (!m) {
    m = parseFont(readFileSync(file), file);
    cache.set(file, m);
  }
  return m;
}

/** Width in px of `text` at `size` px with `letterSpacing` px after every character (Konva's rule). */
export function measureText(metrics: FontMetrics, text: string, size: number, letterSpacing = 0): number {
  let units = 0;
  let count = 0;
  for (const ch of text) {
    units += metrics.advance(ch.codePointAt(0)!);
    count++;
  }
  return (units * size) / metrics.unitsPerEm + letterSpacing * count;
}

function parseFont(buf: Buffer, file: string): FontMetrics {
  const fail = (why: string) => new AppError('bad-request', `font ${file} cannot be read: ${why}`);
  if (buf.length < 12) throw fail('too short');
  const numTables = buf.readUInt16BE(4);
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    if (at + 16 > buf.length) throw fail('truncated table directory');
    tables.set(buf.toString('latin1', at, at + 4), { offset: buf.readUInt32BE(at + 8), length: buf.readUInt32BE(at + 12) });
  }
  const table = (tag: string) => {
    const t = tables.get(tag);
    if (!t || t.offset + t.length > buf.length) throw fail(`no "${tag}" table`);
    return t.offset;
  };
  const head = table('head');
  const hhea = table('hhea');
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const ascender = buf.readInt16BE(hhea + 4);
  const descender = -buf.readInt16BE(hhea + 6);
  const numHMetrics = buf.readUInt16BE(hhea + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numHMetrics - 1));
  const glyphOf = readCmap(buf, table('cmap'));
  return {
    unitsPerEm,
    ascender,
    descender,
    advance: (cp) => advanceOf(glyphOf(cp)),
    hasGlyph: (cp) => glyphOf(cp) !== 0,
  };
}

/** Code point → glyph id from the best Unicode subtable (format 12 if present, else format 4). */
function readCmap(buf: Buffer, cmap: number): (cp: number) => number {
  const n = buf.readUInt16BE(cmap + 2);
  let f4 = -1;
  let f12 = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && f12 < 0) f12 = sub;
    if (format === 4 && f4 < 0) f4 = sub;
  }
  const memo = new Map<number, number>();
  const lookup = f12 >= 0 ? format12(buf, f12) : f4 >= 0 ? format4(buf, f4) : () => 0;
  return (cp) => {
    let g = memo.get(cp);
    if (g === undefined) {
      g = lookup(cp);
      memo.set(cp, g);
    }
    return g;
  };
}

function format12(buf: Buffer, sub: number): (cp: number) => number {
  const groups = buf.readUInt32BE(sub + 12);
  return (cp) => {
    let lo = 0;
    let hi = groups - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = sub + 16 + mid * 12;
      const start = buf.readUInt32BE(g);
      const end = buf.readUInt32BE(g + 4);
      if (cp < start) hi = mid - 1;
      else if (cp > end) lo = mid + 1;
      else return buf.readUInt32BE(g + 8) + (cp - start);
    }
    return 0;
  };
}

function format4(buf: Buffer, sub: number): (cp: number) => number {
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segX2; i += 2) {
      if (cp > buf.readUInt16BE(ends + i)) continue;
      const start = buf.readUInt16BE(starts + i);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + i);
      const range = buf.readUInt16BE(ranges + i);
      if (range === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(ranges + i + range + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}
