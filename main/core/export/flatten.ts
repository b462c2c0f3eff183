import sharp from 'sharp';
import type { DocumentJson, ImageRecord } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { decodeImage } from '../images/image-codec.js';
import type { RawImage } from '../images/raw-image.js';
import { affineOver, blitOver, konvaAffine } from './composite.js';

/** Visible image layers bottom-to-top: `z` is a fractional index compared as a plain string. */
export function paintOrder(doc: DocumentJson): ImageRecord[] {
  return Object.values(doc.records)
    .filter((r): r is ImageRecord => r.type === 'image' && r.visible && r.opacity > 0)
    .sort((p, q) => (p.z < q.z ? -1 : p.z > q.z ? 1 : p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
}

/**
 * The document as one RGBA image at full resolution (document width × height, transparent where
 * nothing is drawn), as the editor shows it. Masks are editing aids and never part of the output.
 */
export async function flattenDocument(doc: DocumentJson, store: AssetStore): Promise<RawImage> {
  const canvas: RawImage = { data: new Uint8Array(doc.width * doc.height * 4), width: doc.width, height: doc.height, channels: 4 };
  for (const record of paintOrder(doc)) {
    const pixels = await decodeImage(await store.read(record.props.asset), 4, record.name || 'layer');
    drawLayer(canvas, await fitForDrawing(pixels, record), record);
  }
  return canvas;
}

interface Placed {
  pixels: RawImage;
  /** Scale from these pixels to layer units (props.width × props.height), before the transform. */
  unitX: number;
  unitY: number;
}

/**
 * The layer is drawn at props.width × props.height (like a Konva.Image with width/height). Strong
 * downscales are done by sharp (Lanczos) first, since bilinear sampling alone would alias.
 */
async function fitForDrawing(pixels: RawImage, record: ImageRecord): Promise<Placed> {
  const { scaleX, scaleY } = record.transform;
  const unitX = record.props.width / pixels.width;
  const unitY = record.props.height / pixels.height;
  const outW = Math.abs(pixels.width * unitX * scaleX);
  const outH = Math.abs(pixels.height * unitY * scaleY);
  if (outW >= pixels.width / 2 && outH >= pixels.height / 2) return { pixels, unitX, unitY };
  const w = Math.max(1, Math.round(outW));
  const h = Math.max(1, Math.round(outH));
  const { data, info } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } })
    .resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const resized: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 4 };
  return { pixels: resized, unitX: record.props.width / resized.width, unitY: record.props.height / resized.height };
}

function drawLayer(canvas: RawImage, { pixels, unitX, unitY }: Placed, record: ImageRecord): void {
  const t = record.transform;
  const sx = t.scaleX * unitX;
  const sy = t.scaleY * unitY;
  const straight = t.rotation % 360 === 0 && sx === 1 && sy === 1 && Number.isInteger(t.x) && Number.isInteger(t.y);
  if (straight) blitOver(canvas, pixels, t.x, t.y, record.opacity);
  else affineOver(canvas, pixels, konvaAffine(t.x, t.y, sx, sy, t.rotation), record.opacity);
}
