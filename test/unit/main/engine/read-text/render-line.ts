import sharp from 'sharp';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import type { ReadableRegion } from '../../../../../main/engine/read-text/index.js';

/** One line of ad copy drawn with sharp's SVG renderer (installed Noto CJK fonts), and its region. */
export interface RenderedLine {
  image: RawImage;
  region: ReadableRegion;
}

export interface LineSpec {
  text: string;
  size: number;
  fill?: string;
  background?: string;
  bold?: boolean;
  /** Degrees clockwise, about the line's centre. */
  angle?: number;
  /** Extra SVG attributes on the <text> (stroke, ...). */
  extra?: string;
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

async function render(spec: LineSpec, transform: string): Promise<RawImage> {
  const width = spec.width ?? Math.round(spec.text.length * spec.size * 0.9 + 160);
  const height = spec.height ?? Math.round(spec.size * 4);
  const text = `<text x="60" y="${Math.round(height / 2 + spec.size * 0.35)}" font-family="'Noto Sans CJK KR', 'Liberation Sans'" font-size="${spec.size}" fill="${spec.fill ?? '#222222'}"${spec.bold ? ' font-weight="bold"' : ''} ${spec.extra ?? ''}>${esc(spec.text)}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="${spec.background ?? '#ffffff'}"/><g transform="${transform}">${text}</g></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 };
}

/** Bounds of the pixels that differ from the top-left (background) pixel. */
function inkBounds(image: RawImage): { x0: number; y0: number; x1: number; y1: number } {
  const { data, width, height } = image;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!) > 60) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  if (x1 < 0) throw new Error('nothing was drawn');
  return { x0, y0, x1, y1 };
}

/**
 * Draws the line (turned by `angle` about its centre) and returns the region a detector would
 * propose: the ink's box grown by a fifth of its height (DB's unclip), turned with the line.
 */
export async function renderLine(spec: LineSpec): Promise<RenderedLine> {
  const flat = await render(spec, '');
  const b = inkBounds(flat);
  const h = b.y1 - b.y0;
  const grow = h * 0.2;
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const angle = spec.angle ?? 0;
  const image = angle ? await render(spec, `rotate(${angle} ${cx} ${cy})`) : flat;
  const a = (angle * Math.PI) / 180;
  const turn = (x: number, y: number): [number, number] => [cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a), cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)];
  const [x0, y0, x1, y1] = [b.x0 - grow, b.y0 - grow, b.x1 + grow, b.y1 + grow];
  return { image, region: { polygon: [turn(x0, y0), turn(x1, y0), turn(x1, y1), turn(x0, y1)], lineHeight: h, angle } };
}

/** Several lines stacked in one image (one region each), for multi-line reads. */
export async function renderLines(specs: LineSpec[]): Promise<{ image: RawImage; regions: ReadableRegion[] }> {
  const lines = await Promise.all(specs.map((s) => renderLine(s)));
  const width = Math.max(...lines.map((l) => l.image.width));
  const height = lines.reduce((sum, l) => sum + l.image.height, 0);
  const data = new Uint8Array(width * height * 3).fill(255);
  const regions: ReadableRegion[] = [];
  let top = 0;
  for (const { image, region } of lines) {
    for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((top + y) * width) * 3);
    regions.push({ ...region, polygon: region.polygon.map(([x, y]): [number, number] => [x, y + top]) });
    top += image.height;
  }
  return { image: { data, width, height, channels: 3 }, regions };
}

/** Levenshtein distance over code points, divided by the expected length (0 = identical). */
export function editDistance(actual: string, expected: string): number {
  const a = [...actual];
  const b = [...expected];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]! / Math.max(1, b.length);
}
