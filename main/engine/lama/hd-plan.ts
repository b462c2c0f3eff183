import type { MaskRegion, MaskRegions } from '../inpaint/mask-regions.js';
import type { LamaHdOptions } from './lama-options.js';

/** x1/y1 exclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One network run: a window of the image, and which masked pixels its result may write. */
export interface LamaWindow {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Mask regions (labels of findMaskRegions) whose pixels inside `core` this window writes. */
  labels: number[];
  core: Box;
}

export interface LamaPlan {
  /** 'whole': the image in one run; 'crop': windows around the mask (the HD path). */
  strategy: 'whole' | 'crop';
  windows: LamaWindow[];
}

interface Geometry {
  width: number;
  height: number;
  /** Network input side. */
  size: number;
  margin: number;
}

/** How a box is covered: square windows of `side` image pixels (scaled to the input when > size), `count` along its length. */
interface Cover {
  side: number;
  count: number;
  horizontal: boolean;
}

/**
 * Plans the windows of one LaMa erase (see LamaHdOptions). Every masked pixel is written by exactly
 * one window, whose crop holds it with context around it; windows never overlap in what they write.
 */
export function planLamaWindows(found: MaskRegions, width: number, height: number, size: number, hd: Required<LamaHdOptions>): LamaPlan {
  if (found.regions.length === 0) return { strategy: 'whole', windows: [] };
  if (Math.max(width, height) <= hd.cropTriggerSize) {
    return {
      strategy: 'whole',
      windows: [{ x: 0, y: 0, w: width, h: height, labels: found.regions.map((r) => r.label), core: { x0: 0, y0: 0, x1: width, y1: height } }],
    };
  }
  const g: Geometry = { width, height, size, margin: hd.cropMargin };
  return { strategy: 'crop', windows: groupRegions(found.regions, g).flatMap((group) => tile(group, g)) };
}

interface Group {
  box: Box;
  labels: number[];
  cover: Cover;
}

/**
 * Regions close together share windows: two groups merge when covering their union takes no more
 * runs than covering them apart, and no coarser scale (a merge never costs resolution).
 */
function groupRegions(regions: readonly MaskRegion[], g: Geometry): Group[] {
  const groups: Group[] = regions.map((r) => {
    const box = { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 };
    return { box, labels: [r.label], cover: cover(box, g) };
  });
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i]!;
        const b = groups[j]!;
        const box = union(a.box, b.box);
        const c = cover(box, g);
        if (c.count <= a.cover.count + b.cover.count && c.side <= Math.max(a.cover.side, b.cover.side)) {
          groups[i] = { box, labels: [...a.labels, ...b.labels], cover: c };
          groups.splice(j, 1);
          j = i; // a grew: compare it with everything after it again
          merged = true;
        }
      }
    }
  }
  return groups;
}

function cover(box: Box, g: Geometry): Cover {
  const ew = Math.min(g.width, box.x1 - box.x0 + 2 * g.margin);
  const eh = Math.min(g.height, box.y1 - box.y0 + 2 * g.margin);
  const horizontal = ew >= eh;
  const side = Math.max(g.size, Math.min(ew, eh));
  const along = Math.min(side, horizontal ? g.width : g.height);
  if ((horizontal ? ew : eh) <= along) return { side, count: 1, horizontal };
  const span = horizontal ? box.x1 - box.x0 : box.y1 - box.y0;
  return { side, count: Math.ceil(span / coreLength(along, g)), horizontal };
}

/**
 * Along a long region, each window writes its middle part and keeps half a margin of context at each
 * end: across the region (where the background is) it has the full margin or more, and its neighbour
 * windows' fills become context for the next one.
 */
function coreLength(along: number, g: Geometry): number {
  return Math.max(1, along - 2 * Math.ceil(g.margin / 2));
}

function tile(group: Group, g: Geometry): LamaWindow[] {
  const { box, labels, cover: c } = group;
  const w = Math.min(c.side, g.width);
  const h = Math.min(c.side, g.height);
  if (c.count === 1) {
    return [{ x: place((box.x0 + box.x1) / 2, w, g.width), y: place((box.y0 + box.y1) / 2, h, g.height), w, h, labels, core: box }];
  }
  const [a0, a1] = c.horizontal ? [box.x0, box.x1] : [box.y0, box.y1];
  const windows: LamaWindow[] = [];
  for (let k = 0; k < c.count; k++) {
    const c0 = a0 + Math.round(((a1 - a0) * k) / c.count);
    const c1 = a0 + Math.round(((a1 - a0) * (k + 1)) / c.count);
    if (c1 <= c0) continue;
    const mid = (c0 + c1) / 2;
    windows.push(
      c.horizontal
        ? { x: place(mid, w, g.width), y: place((box.y0 + box.y1) / 2, h, g.height), w, h, labels, core: { x0: c0, y0: box.y0, x1: c1, y1: box.y1 } }
        : { x: place((box.x0 + box.x1) / 2, w, g.width), y: place(mid, h, g.height), w, h, labels, core: { x0: box.x0, y0: c0, x1: box.x1, y1: c1 } },
    );
  }
  return windows;
}

/** Start of a `len`-long window centred on `center`, kept inside [0, limit). */
function place(center: number, len: number, limit: number): number {
  return Math.max(0, Math.min(limit - len, Math.round(center - len / 2)));
}

function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
