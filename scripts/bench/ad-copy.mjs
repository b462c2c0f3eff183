// Seeded ad copy drawn over a clean image as SVG text (rendered by sharp/librsvg with system fonts):
// Korean and Latin lines in several fonts, sizes, colours, with and without an outline, some rotated.
import { execFileSync } from 'node:child_process';
import { rng } from './seeded.mjs';

const KOREAN = [
  '오늘만 특가', '신선한 바나나', '무료 배송', '1+1 이벤트', '최대 50% 할인', '지금 바로 구매하세요', '한정 수량',
  '새로운 맛을 만나보세요', '프리미엄 품질 보장', '매일 아침 신선하게', '봄맞이 대축제', '산지 직송', '행사 기간 3월 1일~15일',
];
const LATIN = [
  'SALE', 'Fresh & Organic', 'Buy 1 Get 1 Free', 'Limited Edition', 'Only $9.99', 'NEW ARRIVAL', 'Summer Collection',
  'Free shipping', 'Best Price 30% OFF', 'Shop now', 'Premium Quality',
];

/** Font families available from Debian packages: fonts-noto-cjk, fonts-dejavu-core, fonts-liberation. */
const KOREAN_FONTS = [
  { family: 'Noto Sans CJK KR', weight: 'bold' },
  { family: 'Noto Sans CJK KR', weight: 'normal' },
  { family: 'Noto Serif CJK KR', weight: 'bold' },
];
const LATIN_FONTS = [
  { family: 'DejaVu Sans', weight: 'bold' },
  { family: 'DejaVu Serif', weight: 'normal' },
  { family: 'Liberation Sans', weight: 'bold' },
  { family: 'Noto Sans CJK KR', weight: 'bold' },
];
export const FONT_PACKAGES = ['fonts-noto-cjk', 'fonts-dejavu-core', 'fonts-liberation'];

/**
 * Font families the copy uses that fontconfig does not know. librsvg silently substitutes a missing
 * family, which would change the evaluation set, so the benchmark refuses to build it then.
 */
export function missingFonts() {
  let known = '';
  try {
    known = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  } catch {
    return ['fc-list (fontconfig) not available'];
  }
  const families = new Set(known.split('\n').flatMap((l) => l.split(',').map((f) => f.trim())));
  return [...new Set([...KOREAN_FONTS, ...LATIN_FONTS].map((f) => f.family))].filter((f) => !families.has(f));
}

const COLOURS = ['#ffffff', '#111111', '#e8202a', '#ffd400', '#1f4fd1', '#19a34a', '#ff6a00', '#7a1fa2', '#f5f5dc'];

function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rough advance width of a line (Hangul ≈ 1 em, Latin ≈ 0.6 em) — enough to keep text inside the image. */
function approxWidth(text, size) {
  let w = 0;
  for (const ch of text) w += /[\u3131-\uD79D]/.test(ch) ? 1.0 : ch === ' ' ? 0.3 : 0.62;
  return w * size;
}

/**
 * 2–4 lines of copy for an image of the given size, as one SVG overlay plus a description of each line.
 * Sizes scale with the image (about 3–9% of the shorter side), so thin and bold strokes both occur.
 */
export function adCopySvg(width, height, seed) {
  const r = rng(seed);
  const short = Math.min(width, height);
  const lines = r.int(2, 4);
  const items = [];
  const used = [];
  for (let i = 0; i < lines; i++) {
    const korean = r.chance(0.6);
    const text = r.pick(korean ? KOREAN : LATIN);
    const font = r.pick(korean ? KOREAN_FONTS : LATIN_FONTS);
    let size = Math.round(short * (0.03 + r() * 0.06));
    let w = approxWidth(text, size);
    if (w > width * 0.9) {
      size = Math.floor((size * width * 0.9) / w);
      w = approxWidth(text, size);
    }
    const rotate = r.chance(0.25) ? Math.round((r() * 2 - 1) * 15) : 0;
    const outline = r.chance(0.35);
    const fill = r.pick(COLOURS);
    let stroke = r.pick(COLOURS);
    if (stroke === fill) stroke = fill === '#111111' ? '#ffffff' : '#111111';
    const strokeWidth = outline ? Math.max(1.5, Math.round(size * 0.06 * 10) / 10) : 0;
    // Spread lines over the height; avoid piling them on the same band.
    let x = 0;
    let y = 0;
    for (let tries = 0; tries < 20; tries++) {
      x = Math.round(width * 0.03 + r() * Math.max(1, width * 0.94 - w));
      y = Math.round(size * 1.2 + r() * Math.max(1, height - size * 2));
      if (!used.some((u) => Math.abs(u - y) < size * 1.3)) break;
    }
    used.push(y);
    items.push({ text, family: font.family, weight: font.weight, size, fill, outline, stroke, strokeWidth, rotate, x, y });
  }
  const body = items
    .map((it) => {
      const attrs = [
        `x="${it.x}"`, `y="${it.y}"`, `font-family="${it.family}"`, `font-weight="${it.weight}"`, `font-size="${it.size}"`, `fill="${it.fill}"`,
        it.outline ? `stroke="${it.stroke}" stroke-width="${it.strokeWidth}" paint-order="stroke" stroke-linejoin="round"` : '',
        it.rotate ? `transform="rotate(${it.rotate} ${it.x + approxWidth(it.text, it.size) / 2} ${it.y})"` : '',
      ].filter(Boolean);
      return `<text ${attrs.join(' ')}>${escapeXml(it.text)}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">\n${body}\n</svg>`;
  return { svg, items };
}
