import { edgeSchema, productShadowSchema, textStyleSchema, toneMatchSchema, type TextStyle } from '../../../preload/contract/ad-style';
import type { AssetInfo } from '../../../preload/contract/channels';
import type { BackgroundRecord, ProductRecord, TextRecord, Transform } from '../../../preload/contract/document';
import { createId, IDENTITY_TRANSFORM } from './records';
import type { DocRecord, DocumentJson } from './types';

/**
 * The ad side of the document (DESIGN.md §5): a document of kind "ad" is a canvas of width×height
 * with one background record under product and text records, drawn in z order. These helpers build
 * and read those records; the canvas and the panels share them.
 */
export type { BackgroundRecord, ProductRecord, TextRecord };
export type AdLayerRecord = ProductRecord | TextRecord;

export function isAdDocument(doc: DocumentJson | null | undefined): boolean {
  return doc?.kind === 'ad';
}

export interface AdParts {
  background: BackgroundRecord | null;
  /** Products and text, bottom first. */
  layers: AdLayerRecord[];
}

/** The background and the layers above it, in drawing order. */
export function adParts(doc: DocumentJson): AdParts {
  let background: BackgroundRecord | null = null;
  const layers: AdLayerRecord[] = [];
  for (const r of Object.values(doc.records)) {
    if (r.type === 'background') {
      if (!background || r.z < background.z) background = r;
    } else if (r.type === 'product' || r.type === 'text') layers.push(r);
  }
  layers.sort((a, b) => (a.z < b.z ? -1 : a.z > b.z ? 1 : a.id < b.id ? -1 : 1));
  return { background, layers };
}

export function isAdLayer(r: DocRecord | undefined): r is AdLayerRecord {
  return r?.type === 'product' || r?.type === 'text';
}

/** Shadow, tone and edge settings a new product starts with (the compose stage's defaults). */
export function defaultProductLook(): Pick<ProductRecord['props'], 'shadow' | 'tone' | 'edge'> {
  return { shadow: productShadowSchema.parse({}), tone: toneMatchSchema.parse({}), edge: edgeSchema.parse({}) };
}

export interface NewProductInput {
  /** The cut-out (RGBA, transparent around the product). */
  asset: Pick<AssetInfo, 'hash' | 'width' | 'height'>;
  /** The photo it was cut from, if known. */
  source?: string | null;
  madeBy: string;
  name: string;
  z: string;
  transform?: Transform;
}

export function newProductRecord(input: NewProductInput): ProductRecord {
  return {
    id: createId(),
    type: 'product',
    name: input.name.slice(0, 200),
    z: input.z,
    transform: { ...(input.transform ?? IDENTITY_TRANSFORM) },
    visible: true,
    locked: false,
    opacity: 1,
    props: {
      asset: input.asset.hash,
      width: input.asset.width,
      height: input.asset.height,
      source: input.source ?? null,
      madeBy: input.madeBy.slice(0, 100),
      ...defaultProductLook(),
    },
  };
}

export interface NewTextInput {
  text: string;
  z: string;
  name?: string;
  transform?: Transform;
  /** Anything not given takes the ad-layout defaults (Pretendard 700, 64 px, centred…). */
  style?: Partial<TextStyle>;
}

export function newTextRecord(input: NewTextInput): TextRecord {
  const style = textStyleSchema.parse(input.style ?? {});
  return {
    id: createId(),
    type: 'text',
    name: (input.name ?? input.text.split('\n')[0] ?? '').slice(0, 200),
    z: input.z,
    transform: { ...(input.transform ?? IDENTITY_TRANSFORM) },
    visible: true,
    locked: false,
    opacity: 1,
    props: { text: input.text, ...style },
  };
}

export interface NewBackgroundInput {
  asset: Pick<AssetInfo, 'hash' | 'width' | 'height'>;
  madeBy: string;
  name: string;
  z: string;
  fit?: BackgroundRecord['props']['fit'];
}

export function newBackgroundRecord(input: NewBackgroundInput): BackgroundRecord {
  return {
    id: createId(),
    type: 'background',
    name: input.name.slice(0, 200),
    z: input.z,
    transform: { ...IDENTITY_TRANSFORM },
    visible: true,
    locked: true,
    opacity: 1,
    props: { asset: input.asset.hash, width: input.asset.width, height: input.asset.height, madeBy: input.madeBy.slice(0, 300), fit: input.fit ?? 'cover' },
  };
}
