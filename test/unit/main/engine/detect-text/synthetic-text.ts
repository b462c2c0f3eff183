import sharp from 'sharp';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { squaredDistance } from '../../../../../main/engine/detect-text/distance.js';

/**
 * Ad copy drawn over clean backgrounds with sharp's SVG renderer (installed CJK fonts), so the text
 * pixels are known exactly: whatever differs between the clean and the drawn image.
 */
export interface TextScene {
  name: string;
  clean: RawImage;
  withText: RawImage;
  /** 1 where the text changed the pixel noticeably (max channel difference ≥ 24). */
  textPixels: Uint8Array;
}

const KR = "'Noto Sans CJK KR'";
const LATIN = "'Liberation Sans'";

interface SceneSpec {
  name: string;
  width: number;
  height: number;
  /** SVG body of the background (under the text). */
  background: string;
  /** SVG body of the text layer. */
  text: string;
  /** Deterministic texture added to the background (0 = none), ± this many levels. */
  noise?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const t = (x: number, y: number, size: number, fill: string, body: string, extra = '') =>
  `<text x="${x}" y="${y}" font-family="${KR}, ${LATIN}" font-size="${size}" fill="${fill}" ${extra}>${esc(body)}</text>`;

export const SCENES: SceneSpec[] = [
  {
    name: 'flat: dark Korean and Latin on beige, three sizes',
    width: 640,
    height: 400,
    background: '<rect width="640" height="400" fill="#f3ead8"/>',
    text: [
      t(40, 110, 64, '#4a2a12', '특가 세일 50%', 'font-weight="bold"'),
      t(44, 190, 26, '#333333', 'Fresh apples delivered every morning'),
      t(44, 250, 17, '#5a5a5a', '원산지: 대구 · 신선한 과일을 엄선하여 준비했습니다'),
      t(44, 330, 34, '#1d6b34', 'Only today 오늘만!', 'font-weight="bold"'),
    ].join(''),
  },
  {
    name: 'gradients: coloured text across gradient backgrounds',
    width: 640,
    height: 420,
    background: [
      '<defs><linearGradient id="h" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#ffe259"/><stop offset="1" stop-color="#4a90e2"/></linearGradient>',
      '<linearGradient id="v" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#20124d"/><stop offset="1" stop-color="#b4446c"/></linearGradient></defs>',
      '<rect width="640" height="210" fill="url(#h)"/><rect y="210" width="640" height="210" fill="url(#v)"/>',
    ].join(''),
    text: [
      t(30, 90, 48, '#c0392b', '신선한 과일 SALE', 'font-weight="bold"'),
      t(34, 160, 24, '#1a1a1a', 'Korean pears · 한국 배 3kg'),
      t(30, 300, 56, '#ffffff', '오늘만 특가', 'font-weight="bold"'),
      t(34, 370, 22, '#ffd966', 'Free delivery over 30,000 won'),
    ].join(''),
  },
  {
    name: 'rotated: lines at 12° and −25°',
    width: 640,
    height: 480,
    background: '<rect width="640" height="480" fill="#e8eef2"/><circle cx="520" cy="380" r="140" fill="#cfe0ea"/>',
    text: [
      t(60, 120, 40, '#243b53', '한글 텍스트 Rotated', 'transform="rotate(12 60 120)"'),
      t(150, 400, 52, '#b83280', '할인 30% OFF', 'font-weight="bold" transform="rotate(-25 150 400)"'),
    ].join(''),
  },
  {
    name: 'outlined: white on a black stroke, yellow on a red stroke',
    width: 640,
    height: 400,
    background:
      '<defs><linearGradient id="g" x1="0" x2="1" y1="0" y2="1"><stop offset="0" stop-color="#2d6cdf"/><stop offset="1" stop-color="#19a7a0"/></linearGradient></defs><rect width="640" height="400" fill="url(#g)"/>',
    text: [
      t(40, 150, 84, '#ffffff', '2만 5천원', 'font-weight="bold" stroke="#000000" stroke-width="5" paint-order="stroke"'),
      t(44, 290, 54, '#ffe000', 'HOT DEAL 핫딜', 'font-weight="bold" stroke="#d01010" stroke-width="4" paint-order="stroke"'),
    ].join(''),
  },
  {
    name: 'light on dark with small print',
    width: 560,
    height: 360,
    background: '<rect width="560" height="360" fill="#1b2440"/><rect x="0" y="260" width="560" height="100" fill="#2c3a63"/>',
    text: [
      t(40, 110, 50, '#ffffff', '프리미엄 사과 선물세트', 'font-weight="bold"'),
      t(42, 170, 22, '#f5e6a8', 'Limited offer until January 29'),
      t(42, 310, 16, '#c9d3f0', '빠른 방문을 권장드립니다 · 코드잇3팀청과물 2층 105호'),
    ].join(''),
  },
  {
    name: 'textured background with outlined copy',
    width: 640,
    height: 400,
    noise: 22,
    background: '<rect width="640" height="400" fill="#8a9a5b"/><ellipse cx="420" cy="220" rx="260" ry="150" fill="#b5a86a"/>',
    text: [
      t(40, 140, 70, '#ffffff', '제철 딸기 BIG', 'font-weight="bold" stroke="#222222" stroke-width="4" paint-order="stroke"'),
      t(44, 260, 36, '#fff4c2', '1박스 12,900원', 'font-weight="bold" stroke="#3b2a10" stroke-width="2" paint-order="stroke"'),
    ].join(''),
  },
  {
    name: 'tight paragraph, serif headline, blurred drop shadow',
    width: 720,
    height: 460,
    background: '<rect width="720" height="460" fill="#fbf7f0"/><rect x="380" y="0" width="340" height="460" fill="#e9d8c4"/>',
    text: [
      '<defs><filter id="s" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="3"/></filter></defs>',
      `<text x="40" y="130" font-family="'Noto Serif CJK KR'" font-size="110" fill="#5b1a1a" font-weight="bold">가을</text>`,
      t(44, 210, 20, '#222222', '올해 수확한 햇사과를 산지에서 바로'),
      t(44, 236, 20, '#222222', '보내 드립니다. 상자당 5kg, 약 16과'),
      t(44, 262, 20, '#222222', 'Shipped the day it is picked.'),
      t(414, 372, 58, '#000000', '세일 SALE', 'font-weight="bold" opacity="0.55" filter="url(#s)" transform="translate(4 5)"'),
      t(410, 368, 58, '#ffffff', '세일 SALE', 'font-weight="bold"'),
      t(410, 430, 13, '#444444', '* 일부 품목 제외 · some items excluded'),
    ].join(''),
  },
];

async function renderSvg(width: number, height: number, body: string): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Smooth deterministic value noise, ± amplitude, per pixel (same for all channels, photo-like grain + blotches). */
function addNoise(rgb: Uint8Array, width: number, height: number, amplitude: number): void {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const cell = 16;
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rand() * 2 - 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const gy = y / cell;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      const v =
        grid[y0 * gw + x0]! * (1 - fx) * (1 - fy) + grid[y0 * gw + x0 + 1]! * fx * (1 - fy) + grid[(y0 + 1) * gw + x0]! * (1 - fx) * fy + grid[(y0 + 1) * gw + x0 + 1]! * fx * fy;
      const n = (0.7 * v + 0.3 * (rand() * 2 - 1)) * amplitude;
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        rgb[i] = Math.max(0, Math.min(255, Math.round(rgb[i]! + n)));
      }
    }
  }
}

export async function renderScene(spec: SceneSpec): Promise<TextScene> {
  const { width, height } = spec;
  const bgRgba = await renderSvg(width, height, spec.background);
  const clean = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) clean[i * 3 + c] = bgRgba[i * 4 + c]!;
  if (spec.noise) addNoise(clean, width, height, spec.noise);
  const layer = await renderSvg(width, height, spec.text);
  const withText = new Uint8Array(clean);
  const textPixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = layer[i * 4 + 3]! / 255;
    let diff = 0;
    for (let c = 0; c < 3; c++) {
      const v = Math.round(layer[i * 4 + c]! * a + clean[i * 3 + c]! * (1 - a));
      withText[i * 3 + c] = v;
      diff = Math.max(diff, Math.abs(v - clean[i * 3 + c]!));
    }
    if (diff >= 24) textPixels[i] = 1;
  }
  return {
    name: spec.name,
    clean: { data: clean, width, height, channels: 3 },
    withText: { data: withText, width, height, channels: 3 },
    textPixels,
  };
}

export interface MaskScore {
  /** Share of text pixels the mask covers. */
  recall: number;
  /** Share of mask pixels within `near` px of a text pixel. */
  precision: number;
  textPixels: number;
  maskPixels: number;
}

/** Recall and precision of a mask (≥ 128 = masked) against known text pixels. */
export function scoreMask(mask: Uint8Array, textPixels: Uint8Array, width: number, height: number, near = 6): MaskScore {
  const d2 = squaredDistance(textPixels, width, height);
  let text = 0;
  let covered = 0;
  let masked = 0;
  let close = 0;
  for (let i = 0; i < textPixels.length; i++) {
    const m = mask[i]! >= 128;
    if (textPixels[i]) {
      text++;
      if (m) covered++;
    }
    if (m) {
      masked++;
      if (d2[i]! <= near * near) close++;
    }
  }
  return { recall: text ? covered / text : 1, precision: masked ? close / masked : 1, textPixels: text, maskPixels: masked };
}
