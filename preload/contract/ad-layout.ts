import { z } from 'zod';
import { assetHashSchema } from './document.js';
import { EXPORT_FORMATS, LIMITS } from './limits.js';

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

/** The font every side has bundled (Korean + Latin, 9 weights; OFL-1.1, npm package "pretendard"). */
export const DEFAULT_AD_FONT = 'Pretendard';

const px = z.number().finite();
const side = z.number().int().min(1).max(LIMITS.maxSide);
const unit = z.number().min(0).max(1);

/** #rrggbb or #rrggbbaa. */
export const colorSchema = z.string().regex(/^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'a colour is #rrggbb or #rrggbbaa');

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

/**
 * Shadow sizes are fractions of the product's height on the canvas, so a shadow keeps its look when
 * the product is scaled.
 */
export const contactShadowSchema = z.object({
  enabled: z.boolean().default(true),
  opacity: unit.default(0.55),
  /** Blur, × product height. */
  softness: z.number().min(0).max(0.5).default(0.012),
  /** How far the shadow reaches below the base, × product height. */
  height: z.number().min(0).max(0.5).default(0.025),
});

export const dropShadowSchema = z.object({
  enabled: z.boolean().default(true),
  /** Direction the shadow falls, degrees: 0 = right, 90 = down (light from the top-left at 45–135). */
  angle: z.number().finite().default(75),
  /** Offset, × product height. */
  distance: z.number().min(0).max(1).default(0.03),
  /** Blur, × product height. */
  softness: z.number().min(0).max(0.5).default(0.05),
  opacity: unit.default(0.28),
  color: colorSchema.default('#000000'),
});

export const productShadowSchema = z.object({
  contact: contactShadowSchema.prefault({}),
  drop: dropShadowSchema.prefault({}),
});

export const toneMatchSchema = z.object({
  enabled: z.boolean().default(true),
  /** 0 = the product as shot, 1 = its Lab mean and spread fully matched to the background around it. */
  strength: unit.default(0.2),
});

export const edgeSchema = z.object({
  /** Softens the outline inward, px (Gaussian sigma). */
  feather: z.number().min(0).max(50).default(0.6),
  /** Replaces the colours of this many px along the outline with the product's own inner colours. */
  defringe: z.number().min(0).max(20).default(1),
  /** How much background light spills over the outline, 0..1. */
  lightWrap: unit.default(0.25),
  /** Width of the light wrap, px. */
  lightWrapRadius: z.number().min(0).max(200).default(8),
});

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

export const textStrokeSchema = z.object({
  color: colorSchema,
  /** Konva's strokeWidth: the outline is drawn centred on the glyph edge, under the fill (so width/2 shows). */
  width: z.number().min(0).max(200),
});

export const textShadowSchema = z.object({
  color: colorSchema.default('#000000'),
  /** Gaussian sigma, px. */
  blur: z.number().min(0).max(200).default(6),
  offsetX: px.default(0),
  offsetY: px.default(3),
  opacity: unit.default(0.35),
});

export const textLayerSchema = z.object({
  ...layerBase,
  kind: z.literal('text'),
  text: z.string().min(1).max(2000),
  font: z
    .object({
      family: z.string().min(1).max(100).default(DEFAULT_AD_FONT),
      /** CSS weight 100..900. */
      weight: z.number().int().min(100).max(900).default(700),
      /** px. */
      size: z.number().min(1).max(2000),
    })
    .prefault({ size: 64 }),
  color: colorSchema.default('#111111'),
  align: z.enum(['left', 'center', 'right']).default('center'),
  /** Line distance as a multiple of the font size (Konva lineHeight). */
  lineHeight: z.number().min(0.5).max(5).default(1.2),
  /** Extra px between characters (Konva letterSpacing). */
  letterSpacing: z.number().min(-100).max(500).default(0),
  /** Wrap width in px; absent = one line per "\n", no wrapping. */
  width: z.number().min(1).max(LIMITS.maxSide).optional(),
  stroke: textStrokeSchema.optional(),
  shadow: textShadowSchema.optional(),
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
