import { z } from 'zod';
import { edgeSchema, productShadowSchema, textStyleFields, toneMatchSchema } from './ad-style.js';

/**
 * The document as saved in a project and exchanged with main: typed records keyed by id.
 * Selection, viewport and active tool are session state and never appear here.
 */
export const DOCUMENT_VERSION = 1;

export const assetHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'asset hash must be 64 hex chars (sha-256)');

export const transformSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  scaleX: z.number().finite(),
  scaleY: z.number().finite(),
  rotation: z.number().finite(),
});
export type Transform = z.infer<typeof transformSchema>;

const recordBase = {
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  /** Fractional index: records sort by this string (lexicographic) for z-order. */
  z: z.string().min(1).max(64),
  transform: transformSchema,
  visible: z.boolean(),
  locked: z.boolean(),
  opacity: z.number().min(0).max(1),
};

const dimension = z.number().int().min(1).max(65_535);

/**
 * Records are stored complete: the style schemas' defaults fill what a hand-written ad layout leaves
 * out, but a document's records always carry every field, so their input type is their output type.
 */
const complete = <S extends z.ZodType>(schema: S) => schema as unknown as z.ZodType<z.output<S>, z.output<S>>;

/** A raster layer. `asset` is the current pixels; erase results replace it (undo swaps it back). */
export const imageRecordSchema = z.object({
  ...recordBase,
  type: z.literal('image'),
  props: z.object({
    asset: assetHashSchema,
    width: dimension,
    height: dimension,
    /** Which method produced the current pixels, e.g. "original" or "inpaint:telea". */
    madeBy: z.string().max(100),
  }),
});

/** An 8-bit mask over an image record (255 = selected/fill). `asset` null = empty mask. */
export const maskRecordSchema = z.object({
  ...recordBase,
  type: z.literal('mask'),
  props: z.object({
    target: z.string().min(1).max(64),
    asset: assetHashSchema.nullable(),
    width: dimension,
    height: dimension,
  }),
});

/**
 * An ad's backdrop: fills the canvas (document width×height) under every other record. Its transform
 * is unused. `madeBy` says which engine made it and how ("embedded · sweep · seed 3", a prompt…).
 */
export const backgroundRecordSchema = z.object({
  ...recordBase,
  type: z.literal('background'),
  props: z.object({
    asset: assetHashSchema,
    width: dimension,
    height: dimension,
    madeBy: z.string().max(300),
    /** cover: fill the canvas, cropping the centre; contain: fit inside over white; stretch: distort. */
    fit: z.enum(['cover', 'contain', 'stretch']),
  }),
});

/**
 * A cut-out product on an ad (RGBA asset, transparent around the product). The transform follows
 * Konva's node model: the asset's top-left at (x, y), rotated about it, then scaled. Shadows, tone
 * match and edges are settings; the editor and export derive their pixels from them.
 */
export const productRecordSchema = z.object({
  ...recordBase,
  type: z.literal('product'),
  props: z.object({
    asset: assetHashSchema,
    width: dimension,
    height: dimension,
    /** The photo it was cut from (for corrections of the cut-out), if known. */
    source: assetHashSchema.nullable(),
    madeBy: z.string().max(100),
    shadow: complete(productShadowSchema),
    tone: complete(toneMatchSchema),
    edge: complete(edgeSchema),
  }),
});

/** Ad copy: words and style; the transform places its top-left (Konva's Text node). */
export const textRecordSchema = z.object({
  ...recordBase,
  type: z.literal('text'),
  props: complete(z.object({ text: z.string().min(1).max(2000), ...textStyleFields })),
});

export const recordSchema = z.discriminatedUnion('type', [imageRecordSchema, maskRecordSchema, backgroundRecordSchema, productRecordSchema, textRecordSchema]);
export type ImageRecord = z.infer<typeof imageRecordSchema>;
export type MaskRecord = z.infer<typeof maskRecordSchema>;
export type BackgroundRecord = z.infer<typeof backgroundRecordSchema>;
export type ProductRecord = z.infer<typeof productRecordSchema>;
export type TextRecord = z.infer<typeof textRecordSchema>;
export type DocRecord = z.infer<typeof recordSchema>;
export type RecordType = DocRecord['type'];

export const documentSchema = z.object({
  format: z.literal('adstudio'),
  version: z.number().int().min(1),
  id: z.string().min(1).max(64),
  title: z.string().max(200),
  /** Absent or photo: erase text from an image (width×height = the image); ad: a composed ad (width×height = the ad). */
  kind: z.enum(['photo', 'ad']).optional(),
  width: dimension,
  height: dimension,
  records: z.record(z.string(), recordSchema),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type DocumentJson = z.infer<typeof documentSchema>;

/** Every asset hash a document references (what a project file must contain). */
export function referencedAssets(doc: DocumentJson): string[] {
  const out = new Set<string>();
  for (const r of Object.values(doc.records)) {
    if (r.type === 'mask') {
      if (r.props.asset) out.add(r.props.asset);
    } else if (r.type !== 'text') {
      out.add(r.props.asset);
      if (r.type === 'product' && r.props.source) out.add(r.props.source);
    }
  }
  return [...out];
}
