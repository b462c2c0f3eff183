import { UiError } from '../editor/errors';

/**
 * The fonts an ad's text may use: bundled web fonts only (no CDN), Korean and Latin in each. `id` is
 * the CSS family name stored in text records (`font.family`), so a record names its font the same
 * way on screen, in export and in the compose stage (which knows Pretendard).
 */
export interface AdFontFamily {
  id: string;
  label: { ko: string; en: string };
  /** CSS weights that have a face (100..900). */
  weights: readonly number[];
  /** Licence of the bundled files (shown with the font, recorded in fonts/LICENSES.md). */
  licence: string;
}

const ALL_WEIGHTS = [100, 200, 300, 400, 500, 600, 700, 800, 900] as const;

export const AD_FONT_FAMILIES: readonly AdFontFamily[] = [
  { id: 'Pretendard', label: { ko: '프리텐다드', en: 'Pretendard' }, weights: ALL_WEIGHTS, licence: 'OFL-1.1' },
  { id: 'Noto Sans KR', label: { ko: '본고딕 (Noto Sans KR)', en: 'Noto Sans KR' }, weights: ALL_WEIGHTS, licence: 'OFL-1.1' },
];

export function findAdFont(family: string): AdFontFamily | undefined {
  return AD_FONT_FAMILIES.find((f) => f.id === family);
}

/** The family and weight to load, or a clear error for a font that is not bundled ("missing fonts"). */
export function resolveAdFont(family: string, weight: number): { family: AdFontFamily; weight: number } {
  const f = findAdFont(family);
  if (!f) {
    const known = AD_FONT_FAMILIES.map((x) => x.id).join(', ');
    throw new UiError('not-found', `The font "${family}" is not bundled with adstudio (available: ${known}).`);
  }
  if (!f.weights.includes(weight)) {
    throw new UiError('not-found', `${f.id} has no weight ${weight} (available: ${f.weights.join(', ')}).`);
  }
  return { family: f, weight };
}

/** The weight of `family` nearest to `weight` (switching families keeps the look as close as it can). */
export function nearestWeight(family: AdFontFamily, weight: number): number {
  let best = family.weights[0]!;
  for (const w of family.weights) if (Math.abs(w - weight) < Math.abs(best - weight)) best = w;
  return best;
}

/** CSS font shorthand for document.fonts.load/check (family quoted: names with spaces). */
export function cssFont(family: string, weight: number, sizePx = 64): string {
  return `${weight} ${sizePx}px "${family.replace(/"/g, '')}"`;
}
