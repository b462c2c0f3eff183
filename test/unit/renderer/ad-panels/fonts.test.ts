import { describe, expect, it } from 'vitest';
import { AD_FONT_FAMILIES, cssFont, nearestWeight, resolveAdFont } from '../../../../renderer/src/fonts/ad-font-registry';
import { createFontLoader, type FontEnv } from '../../../../renderer/src/fonts/font-loader';
import type { FontFaceSource } from '../../../../renderer/src/fonts/ad-font-files';
import { fontFaceSources } from '../../../../renderer/src/fonts/ad-font-files';

function fakeEnv(opts: { failUrl?: string; usable?: boolean } = {}) {
  const added: { family: string; weight: number; source: FontFaceSource }[] = [];
  const env: FontEnv = {
    sources: (family, weight) => [{ url: `/fonts/${family}-${weight}.woff2` }],
    async addFace(family, weight, source) {
      if (source.url === opts.failUrl) throw new Error('404 Not Found');
      added.push({ family, weight, source });
    },
    check: () => opts.usable ?? true,
  };
  return { env, added };
}

describe('ad fonts', () => {
  it('bundles Pretendard and Noto Sans KR, each with 9 weights, under OFL', () => {
    expect(AD_FONT_FAMILIES.map((f) => f.id)).toEqual(['Pretendard', 'Noto Sans KR']);
    for (const f of AD_FONT_FAMILIES) {
      expect(f.weights).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
      expect(f.licence).toBe('OFL-1.1');
      expect(f.label.ko).toMatch(/[가-힣]/);
    }
  });

  it('the woff2 files come from node_modules through Vite: one per Pretendard weight, Korean + Latin for Noto', () => {
    for (const w of [100, 400, 700, 900]) {
      const p = fontFaceSources('Pretendard', w);
      expect(p).toHaveLength(1);
      expect(p[0]!.url).toMatch(/Pretendard-\w+\.woff2/);
      const n = fontFaceSources('Noto Sans KR', w);
      expect(n.map((s) => s.url)).toEqual([expect.stringContaining(`noto-sans-kr-korean-${w}-normal.woff2`), expect.stringContaining(`noto-sans-kr-latin-${w}-normal.woff2`)]);
      // Korean file covers everything it has; the Latin one only Latin (it wins there).
      expect(n[0]!.unicodeRange).toBeUndefined();
      expect(n[1]!.unicodeRange).toMatch(/^U\+0000-00FF/);
    }
    expect(fontFaceSources('Comic Sans', 400)).toEqual([]);
  });

  it('a font that is not bundled, or a weight it lacks, is a clear "not found"', () => {
    expect(() => resolveAdFont('Comic Sans', 400)).toThrow(/"Comic Sans" is not bundled with adstudio \(available: Pretendard, Noto Sans KR\)/);
    expect(() => resolveAdFont('Pretendard', 450)).toThrow(/Pretendard has no weight 450/);
    expect(resolveAdFont('Noto Sans KR', 700).weight).toBe(700);
  });

  it('loads each face once, resolves when usable, and forgets a failure so it can be retried', async () => {
    const { env, added } = fakeEnv();
    const load = createFontLoader(env);
    await Promise.all([load('Pretendard', 700), load('Pretendard', 700)]);
    expect(added).toHaveLength(1);
    await expect(load('Missing Font', 700)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('not bundled') });

    const broken = fakeEnv({ failUrl: '/fonts/Noto Sans KR-400.woff2' });
    const load2 = createFontLoader(broken.env);
    await expect(load2('Noto Sans KR', 400)).rejects.toMatchObject({ code: 'not-found', message: 'Could not load the font Noto Sans KR 400: 404 Not Found' });
    broken.env.addFace = async (family, weight, source) => void broken.added.push({ family, weight, source });
    await expect(load2('Noto Sans KR', 400)).resolves.toBeUndefined();
  });

  it('a face that loads but cannot draw Korean and Latin is refused', async () => {
    const load = createFontLoader(fakeEnv({ usable: false }).env);
    await expect(load('Pretendard', 400)).rejects.toThrow(/cannot draw Korean and Latin text/);
  });

  it('picks the nearest weight when switching families, and quotes names in CSS', () => {
    const f = { ...AD_FONT_FAMILIES[0]!, weights: [400, 700] };
    expect(nearestWeight(f, 800)).toBe(700);
    expect(nearestWeight(f, 300)).toBe(400);
    expect(cssFont('Noto Sans KR', 700, 64)).toBe('700 64px "Noto Sans KR"');
  });
});
