import type { AssetInfo } from '../../../preload/contract/channels';
import { DOCUMENT_VERSION, type ImageRecord, type MaskRecord, type Transform } from '../../../preload/contract/document';
import { keyBetween } from './fractional-index';
import type { DocRecord, DocumentJson } from './types';

export type { ImageRecord, MaskRecord, Transform };

export const IDENTITY_TRANSFORM: Transform = Object.freeze({ x: 0, y: 0, scaleX: 1, scaleY: 1, rotation: 0 });

/** Limits from documentSchema, applied here so a long file name never makes an invalid document. */
const MAX_NAME = 200;

/** Random id (24 hex chars): unique enough for records, documents and sessions, valid everywhere. */
export function createId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export interface NewDocumentInput {
  title: string;
  /** The opened image, already stored as an asset. */
  asset: AssetInfo;
  /** Layer name for the image (usually the file name). */
  name: string;
  /** Layer name for its mask (default "Mask"). */
  maskName?: string;
  /** Clock for tests. */
  now?: Date;
}

/** A document with the opened image and an empty mask over it, sized to the image. */
export function newDocument({ title, asset, name, maskName = 'Mask', now = new Date() }: NewDocumentInput): DocumentJson {
  const imageZ = keyBetween(null, null);
  const image: ImageRecord = {
    id: createId(),
    type: 'image',
    name: clip(name),
    z: imageZ,
    transform: { ...IDENTITY_TRANSFORM },
    visible: true,
    locked: false,
    opacity: 1,
    props: { asset: asset.hash, width: asset.width, height: asset.height, madeBy: 'original' },
  };
  const mask = newMaskRecord(image, keyBetween(imageZ, null), maskName);
  const stamp = now.toISOString();
  return {
    format: 'adstudio',
    version: DOCUMENT_VERSION,
    id: createId(),
    title: clip(title),
    width: asset.width,
    height: asset.height,
    records: { [image.id]: image, [mask.id]: mask },
    createdAt: stamp,
    modifiedAt: stamp,
  };
}

/** An empty mask covering `image` pixel for pixel, at z key `z`. */
export function newMaskRecord(image: ImageRecord, z: string, name = 'Mask'): MaskRecord {
  return {
    id: createId(),
    type: 'mask',
    name: clip(name),
    z,
    transform: { ...image.transform },
    visible: true,
    locked: false,
    opacity: 1,
    props: { target: image.id, asset: null, width: image.props.width, height: image.props.height },
  };
}

/** The bottom-most image record (the photo being edited), if any. */
export function imageRecordOf(doc: DocumentJson): ImageRecord | undefined {
  let best: ImageRecord | undefined;
  for (const r of Object.values(doc.records)) {
    if (r.type === 'image' && (!best || r.z < best.z || (r.z === best.z && r.id < best.id))) best = r;
  }
  return best;
}

/** The mask that targets `imageId`, if any. */
export function maskRecordOf(doc: DocumentJson, imageId: string): MaskRecord | undefined {
  for (const r of Object.values(doc.records)) if (r.type === 'mask' && r.props.target === imageId) return r;
  return undefined;
}

export function isImageRecord(r: DocRecord | undefined): r is ImageRecord {
  return r?.type === 'image';
}

export function isMaskRecord(r: DocRecord | undefined): r is MaskRecord {
  return r?.type === 'mask';
}

/** The highest z key in the document (null if empty): `keyBetween(topZ(doc), null)` adds on top. */
export function topZ(doc: DocumentJson): string | null {
  let top: string | null = null;
  for (const r of Object.values(doc.records)) if (top === null || r.z > top) top = r.z;
  return top;
}

/** A copy of the document with modifiedAt stamped (for save/autosave; not a history change). */
export function stampModified(doc: DocumentJson, now = new Date()): DocumentJson {
  return { ...doc, modifiedAt: now.toISOString() };
}

function clip(s: string): string {
  return s.length > MAX_NAME ? s.slice(0, MAX_NAME) : s;
}
