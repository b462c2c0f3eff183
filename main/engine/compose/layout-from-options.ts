import { AppError } from '../../../preload/contract/index.js';
import { DEFAULT_AD_FONT, type AdLayoutInput, type LayerTransform } from '../../../preload/contract/ad-layout.js';
import { decodeImage, probeImage } from '../../core/images/image-codec.js';
import { resolveFont } from '../fonts/font-catalog.js';
import { parseSize } from './export-presets.js';
import { fitBackground, loadProduct, fileResolver } from './sources.js';
import { layoutText } from './text-layout.js';

/**
 * The ad layout the `compose` command (and the compose stage over files) builds from simple options:
 * a background file, product cut-outs, lines of copy. Auto placement, shadows and tone match are on
 * unless turned off. The copy's size and colour are chosen for the canvas: the headline as large as
 * fits in three lines, dark or white by the background's brightness where it goes.
 */
export interface SimpleComposeOptions {
  background: string;
  products: string[];
  /** First = headline, the rest = smaller lines under it. */
  texts?: string[];
  font?: string;
  /** "1080x1350" or a preset name; default: the background's own size. */
  size?: string;
  shadow?: boolean;
  toneMatch?: boolean;
  autoPlace?: boolean;
  /** Headline weight (100..900); default 800. */
  weight?: number;
  /** Headline size in px; default: fitted. */
  textSize?: number;
  textColor?: string;
  toneStrength?: number;
  lightWrap?: boolean;
}

export async function layoutFromOptions(o: SimpleComposeOptions): Promise<AdLayoutInput> {
  if (o.products.length === 0) throw new AppError('bad-request', 'compose needs at least one product cut-out');
  const probe = await probeImage(o.background, 'background');
  const { width, height } = o.size ? parseSize(o.size) : probe;
  const family = o.font ?? DEFAULT_AD_FONT;
  const weight = o.weight ?? 800;
  if (!Number.isInteger(weight) || weight < 100 || weight > 900) throw new AppError('bad-request', `the text weight must be 100 to 900, not ${weight}`);
  resolveFont(family, weight);
  if (o.toneStrength !== undefined && !(o.toneStrength >= 0 && o.toneStrength <= 1)) throw new AppError('bad-request', `the tone-match strength must be 0 to 1, not ${o.toneStrength}`);

  const shadowOn = o.shadow !== false;
  const products = await Promise.all(
    o.products.map(async (path, i) => {
      const transform = o.autoPlace === false ? centred(await loadProduct(fileResolver, { path }, `product "product-${i + 1}"`), width, height) : undefined;
      return {
        kind: 'product' as const,
        id: `product-${i + 1}`,
        source: { path },
        ...(transform ? { transform } : {}),
        shadow: { contact: { enabled: shadowOn }, drop: { enabled: shadowOn } },
        tone: { enabled: o.toneMatch !== false, ...(o.toneStrength !== undefined ? { strength: o.toneStrength } : {}) },
        edge: o.lightWrap === false ? { lightWrap: 0 } : {},
      };
    }),
  );

  const texts = (o.texts ?? []).filter((t) => t.trim() !== '');
  const side = width / height >= 1.4;
  const boxWidth = side ? 0.46 * width : 0.88 * width;
  const color = o.textColor ?? (texts.length > 0 ? await contrastColour(o.background, width, height, side) : '#111111');
  // Start large (a wide banner by its height, others by the shorter side) and shrink until it fits.
  const start = Math.round(side ? height * 0.11 : Math.min(width, height * 0.8) * 0.085);
  const headline = o.textSize ?? fitSize(texts[0] ?? '', family, weight, boxWidth, start);
  const textLayers = texts.map((text, i) => ({
    kind: 'text' as const,
    id: `text-${i + 1}`,
    text,
    font: { family, weight: i === 0 ? weight : Math.max(100, Math.min(900, weight - 300)), size: i === 0 ? headline : Math.max(12, Math.round(headline * 0.45)) },
    color,
    align: side ? ('left' as const) : ('center' as const),
    lineHeight: i === 0 ? 1.18 : 1.35,
    // A faint shadow keeps copy legible over any backdrop without looking like an effect.
    shadow: { color: color === '#ffffff' ? '#000000' : '#ffffff', blur: Math.max(2, headline * 0.06), offsetX: 0, offsetY: Math.max(1, headline * 0.03), opacity: 0.3 },
  }));

  return {
    canvas: { width, height },
    background: { kind: 'image', source: { path: o.background }, fit: 'cover' },
    layers: [...products, ...textLayers],
  };
}

/** Largest size (from `start` down) at which the headline wraps into at most three lines. */
function fitSize(text: string, family: string, weight: number, boxWidth: number, start: number): number {
  if (!text) return start;
  let size = start;
  while (size > 16) {
    const block = layoutText({ text, font: { family, weight, size }, align: 'center', lineHeight: 1.18, letterSpacing: 0, width: boxWidth });
    const fits = block.lines.length <= 3 && block.lines.every((l) => l.width <= boxWidth + 0.5);
    if (fits) return size;
    size = Math.floor(size * 0.92);
  }
  return size;
}

/** Dark copy on a light area, white copy on a dark one: judged where auto placement puts the copy. */
async function contrastColour(background: string, width: number, height: number, side: boolean): Promise<string> {
  const raw = await decodeImage(background, 3, 'background');
  const rgb = await fitBackground(raw, { kind: 'image', source: { path: background }, fit: 'cover', color: '#ffffff' }, width, height);
  const x1 = side ? Math.round(width * 0.55) : width;
  const y1 = side ? height : Math.round(height * 0.35);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < y1; y += 2) {
    for (let x = 0; x < x1; x += 2) {
      const o = (y * width + x) * 3;
      sum += 0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!;
      n++;
    }
  }
  return sum / Math.max(1, n) > 140 ? '#1b1b1f' : '#ffffff';
}

/** Without auto place: the product centred, fitted into 80 % of the canvas. */
function centred(p: { bounds: { x: number; y: number; width: number; height: number } }, width: number, height: number): LayerTransform {
  const s = Math.min((0.8 * width) / p.bounds.width, (0.8 * height) / p.bounds.height);
  return {
    x: width / 2 - (p.bounds.x + p.bounds.width / 2) * s,
    y: height / 2 - (p.bounds.y + p.bounds.height / 2) * s,
    scaleX: s,
    scaleY: s,
    rotation: 0,
  };
}
