import { z } from 'zod';

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

export const recordSchema = z.discriminatedUnion('type', [imageRecordSchema, maskRecordSchema]);
export type ImageRecord = z.infer<typeof imageRecordSchema>;
export type MaskRecord = z.infer<typeof maskRecordSchema>;
export type DocRecord = z.infer<typeof recordSchema>;
export type RecordType = DocRecord['type'];

export const documentSchema = z.object({
  format: z.literal('adstudio'),
  version: z.number().int().min(1),
  id: z.string().min(1).max(64),
  title: z.string().max(200),
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
    if (r.type === 'image') out.add(r.props.asset);
    if (r.type === 'mask' && r.props.asset) out.add(r.props.asset);
  }
  return [...out];
}
