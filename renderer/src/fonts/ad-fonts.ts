import { fontFaceSources } from './ad-font-files';
import { createFontLoader } from './font-loader';

export { AD_FONT_FAMILIES, cssFont, findAdFont, nearestWeight, type AdFontFamily } from './ad-font-registry';

/**
 * The ad's bundled fonts in the page: `await loadAdFont(family, weight)` before drawing text on a
 * canvas (screen and export draw the same glyphs). Rejects with a clear message for a font that is
 * not bundled or whose file fails to load.
 */
export const loadAdFont: (family: string, weight: number) => Promise<void> = createFontLoader({
  sources: fontFaceSources,
  async addFace(family, weight, source) {
    const face = new FontFace(family, `url("${source.url}") format("woff2")`, {
      weight: String(weight),
      style: 'normal',
      ...(source.unicodeRange ? { unicodeRange: source.unicodeRange } : {}),
    });
    await face.load();
    document.fonts.add(face);
  },
  check: (font, text) => document.fonts.check(font, text),
});
