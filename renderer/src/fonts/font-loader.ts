import { UiError } from '../editor/errors';
import type { FontFaceSource } from './ad-font-files';
import { cssFont, resolveAdFont } from './ad-font-registry';

/** What loading needs from the browser (FontFace + document.fonts), injectable for tests. */
export interface FontEnv {
  sources(family: string, weight: number): FontFaceSource[];
  /** Create, load (fetch + parse) and register one face; rejects when the file cannot be used. */
  addFace(family: string, weight: number, source: FontFaceSource): Promise<void>;
  /** document.fonts.check: can `font` draw `text` without a fallback? */
  check(font: string, text: string): boolean;
}

/** Hangul + Latin probe: both halves of a face must be there. */
export const FONT_PROBE_TEXT = '가나다 광고 Aa1';

/**
 * loadAdFont(family, weight): resolves once the bundled face is registered and usable, so canvas
 * text drawn afterwards uses it (a canvas never waits for a font; it silently falls back). Loads
 * each face once; a failed load is forgotten so a later call tries again.
 */
export function createFontLoader(env: FontEnv) {
  const loading = new Map<string, Promise<void>>();

  async function load(familyId: string, weight: number): Promise<void> {
    const { family } = resolveAdFont(familyId, weight);
    const sources = env.sources(family.id, weight);
    if (sources.length === 0) throw new UiError('not-found', `The font files for ${family.id} ${weight} are missing from this build.`);
    try {
      // Sequential: the order decides which face wins where unicode ranges overlap (later wins).
      for (const s of sources) await env.addFace(family.id, weight, s);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new UiError('not-found', `Could not load the font ${family.id} ${weight}: ${why}`);
    }
    if (!env.check(cssFont(family.id, weight), FONT_PROBE_TEXT)) {
      throw new UiError('not-found', `The font ${family.id} ${weight} loaded but cannot draw Korean and Latin text.`);
    }
  }

  return function loadAdFont(family: string, weight: number): Promise<void> {
    const key = `${family}\u0000${weight}`;
    let p = loading.get(key);
    if (!p) {
      p = load(family, weight);
      loading.set(key, p);
      p.catch(() => loading.delete(key));
    }
    return p;
  };
}
