import { z } from 'zod';
import { LIMITS } from './limits.js';

/**
 * Looks shared by the ad layout (CLI/engine compose) and the editor's document records: product
 * shadows, tone match and edges, and text styling. One definition so both render the same settings.
 */
const px = z.number().finite();
const unit = z.number().min(0).max(1);

/** The font every side has bundled (Korean + Latin, 9 weights; OFL-1.1, npm package "pretendard"). */
export const DEFAULT_AD_FONT = 'Pretendard';

/** #rrggbb or #rrggbbaa. */
export const colorSchema = z.string().regex(/^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'a colour is #rrggbb or #rrggbbaa');

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

/** Everything about a text layer but its words and position (Konva's text model). */
export const textStyleFields = {
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
};
export const textStyleSchema = z.object(textStyleFields);
export type TextStyle = z.infer<typeof textStyleSchema>;
