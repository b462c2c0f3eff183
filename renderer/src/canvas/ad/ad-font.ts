import { loadAdFont } from '../../fonts/ad-fonts';
import type { TextRecord } from '../../document/ad-records';
import { fontKey } from './scene-data';

/**
 * Fonts the ad's text layers use, loaded before they are drawn (Konva measures and paints with
 * whatever face the browser has at that moment). loadAdFont (the panels' bundled fonts) rejects
 * with a clear message for a font that is not bundled.
 */
export function textFonts(layers: readonly { type: string }[]): { family: string; weight: number; key: string }[] {
  const seen = new Map<string, { family: string; weight: number; key: string }>();
  for (const l of layers) {
    if (l.type !== 'text') continue;
    const { family, weight } = (l as TextRecord).props.font;
    const key = fontKey(family, weight);
    if (!seen.has(key)) seen.set(key, { family, weight, key });
  }
  return [...seen.values()];
}

export function loadFont(family: string, weight: number): Promise<void> {
  return loadAdFont(family, weight);
}
