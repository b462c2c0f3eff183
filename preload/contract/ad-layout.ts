import { z } from 'zod';
import { assetHashSchema } from './document.js';
import { colorSchema, edgeSchema, productShadowSchema, textStyleFields, toneMatchSchema } from './ad-style.js';
import { EXPORT_FORMATS, LIMITS } from './limits.js';

export * from './ad-style.js';

/**
 * The "ad layout": one JSON description of a product ad that the compose stage renders in main (CLI,
 * engine) and the editor's Konva canvas projects on screen. Both sides parse it with these schemas so
 * a layout saved by one renders the same way in the other.
 *
 * Coordinates are canvas pixels, origin top-left, y down. Layers draw in array order (first = bottom).
 * A layer's `transform` follows Konva's node model: the layer's own top-left sits at (x, y), then it is
 * rotated by `rotation` degrees (clockwise) about that point and scaled by scaleX/scaleY. A layer without
 * a transform is placed by "auto place" (free space, ground line, rule of thirds); the compose result
 * returns the layout with every transform filled in.
 */
export const AD_LAYOUT_VERSION = 1;

/** Ad sizes a user picks from; "custom" is any width×height within LIMITS. */
export const EXPORT_PRESETS = {
  square: { width: 1080, height: 1080, label: '1:1 feed (1080×1080)' },
  portrait: { width: 1080, height: 1350, label: '4:5 feed (1080×1350)' },
  story: { width: 1080, height: 1920, label: '9:16 story, reels (1080×1920)' },
  landscape: { width: 1200, height: 628, label: '1.91:1 link, banner (1200×628)' },
} as const;
export type ExportPresetId = keyof typeof EXPORT_PRESETS;
export const EXPORT_PRESET_IDS = Object.keys(EXPORT_PRESETS) as ExportPresetId[];

/** Procedural studio backdrops the CPU engine renders (see main/engine/background). */
export const BACKGROUND_PRESETS = ['sweep', 'tabletop', 'window', 'bokeh', 'marble', 'wood', 'linen', 'concrete'] as const;
export type BackgroundPreset = (typeof BACKGROUND_PRESETS)[number];

const px = z.number().finite();
const side = z.number().int().min(1).max(LIMITS.maxSide);
const unit = z.number().min(0).max(1);

/** Where a layer's pixels come from: a file (CLI, engine stages) or an asset of the editor's store. */
export const imageSourceSchema = z.union([z.strictObject({ path: z.string().min(1).max(4096) }), z.strictObject({ asset: assetHashSchema })]);
export type ImageSource = z.infer<typeof imageSourceSchema>;

export const layerTransformSchema = z.object({
  x: px,
  y: px,
  scaleX: z.number().finite().default(1),
  scaleY: z.number().finite().default(1),
  /** Degrees, clockwise, about (x, y). */
  rotation: z.number().finite().default(0),
});
export type LayerTransform = z.infer<typeof layerTransformSchema>;

export const backgroundSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('image'),
    source: imageSourceSchema,
    /** cover: fill the canvas, cropping the centre; contain: fit inside over `color`; stretch: distort. */
    fit: z.enum(['cover', 'contain', 'stretch']).default('cover'),
    color: colorSchema.default('#ffffff'),
  }),
  z.object({
    kind: z.literal('preset'),
    preset: z.enum(BACKGROUND_PRESETS),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    /** Colours to draw from (usually the product's palette, most prominent first); none = neutral. */
    palette: z.array(colorSchema).max(12).optional(),
  }),
  z.object({ kind: z.literal('solid'), color: colorSchema }),
]);
export type AdBackground = z.infer<typeof backgroundSchema>;

const layerBase = {
  id: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
  visible: z.boolean().default(true),
  opacity: unit.default(1),
};

export const productLayerSchema = z.object({
  ...layerBase,
  kind: z.literal('product'),
  /** A cut-out (RGBA; transparent around the product). */
  source: imageSourceSchema,
  /** Absent = auto place. */
  transform: layerTransformSchema.optional(),
  shadow: productShadowSchema.prefault({}),
  tone: toneMatchSchema.prefault({}),
  edge: edgeSchema.prefault({}),
});
export type ProductLayer = z.infer<typeof productLayerSchema>;

export const textLayerSchema = z.object({
  ...layerBase,
  kind: z.literal('text'),
  text: z.string().min(1).max(2000),
  ...textStyleFields,
  /** Absent = auto place (top band of the canvas, clear of the products). */
  transform: layerTransformSchema.optional(),
});
export type TextLayer = z.infer<typeof textLayerSchema>;

export const adLayerSchema = z.discriminatedUnion('kind', [productLayerSchema, textLayerSchema]);
export type AdLayer = z.infer<typeof adLayerSchema>;

export const adExportSchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('png'),
  /** JPEG/WebP quality 1..100 (100 = lossless WebP). */
  quality: z.number().int().min(1).max(100).default(92),
});

export const adLayoutSchema = z
  .object({
    version: z.literal(AD_LAYOUT_VERSION).default(AD_LAYOUT_VERSION),
    canvas: z.object({ width: side, height: side }),
    background: backgroundSchema,
    layers: z.array(adLayerSchema).max(64),
    export: adExportSchema.prefault({}),
  })
  .superRefine((layout, ctx) => {
    if (layout.canvas.width * layout.canvas.height > LIMITS.maxPixels) {
      ctx.addIssue({ code: 'custom', path: ['canvas'], message: `the canvas is larger than ${LIMITS.maxPixels / 1e6} megapixels` });
    }
    const ids = new Set<string>();
    layout.layers.forEach((layer, i) => {
      if (ids.has(layer.id)) ctx.addIssue({ code: 'custom', path: ['layers', i, 'id'], message: `layer id "${layer.id}" is used twice` });
      ids.add(layer.id);
    });
  });
/** A layout as stored (defaults filled in). */
export type AdLayout = z.infer<typeof adLayoutSchema>;
/** A layout as written by hand or by a caller (defaults optional). */
export type AdLayoutInput = z.input<typeof adLayoutSchema>;
