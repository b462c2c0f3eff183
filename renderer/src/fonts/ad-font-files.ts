/**
 * URLs of the bundled woff2 files, resolved by Vite from node_modules (emitted with the build; no
 * network font service). Pretendard ships one full file per weight. Noto Sans KR comes from
 * @fontsource, whose default CSS slices Korean into ~120 unicode-range pieces; we take its "korean"
 * subset (all Hangul in one file per weight) plus "latin", so a face is either wholly usable or not.
 */
const PRETENDARD = import.meta.glob<string>('../../../node_modules/pretendard/dist/web/static/woff2/Pretendard-*.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
});
const NOTO = import.meta.glob<string>('../../../node_modules/@fontsource/noto-sans-kr/files/noto-sans-kr-{korean,latin}-*-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
});

/** Google Fonts' "latin" unicode-range: Latin text prefers the small Latin file. */
const LATIN_RANGE = 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';

const PRETENDARD_NAMES: Record<number, string> = {
  100: 'Thin',
  200: 'ExtraLight',
  300: 'Light',
  400: 'Regular',
  500: 'Medium',
  600: 'SemiBold',
  700: 'Bold',
  800: 'ExtraBold',
  900: 'Black',
};

export interface FontFaceSource {
  url: string;
  /** CSS unicode-range; absent = every glyph in the file. */
  unicodeRange?: string;
}

function byFileName(files: Record<string, string>, name: string): string | undefined {
  for (const [path, url] of Object.entries(files)) if (path.endsWith(`/${name}`)) return url;
  return undefined;
}

/** The files making up `family` at `weight` (empty when none is bundled). */
export function fontFaceSources(family: string, weight: number): FontFaceSource[] {
  if (family === 'Pretendard') {
    const name = PRETENDARD_NAMES[weight];
    const url = name ? byFileName(PRETENDARD, `Pretendard-${name}.woff2`) : undefined;
    return url ? [{ url }] : [];
  }
  if (family === 'Noto Sans KR') {
    const korean = byFileName(NOTO, `noto-sans-kr-korean-${weight}-normal.woff2`);
    const latin = byFileName(NOTO, `noto-sans-kr-latin-${weight}-normal.woff2`);
    return [...(korean ? [{ url: korean }] : []), ...(latin ? [{ url: latin, unicodeRange: LATIN_RANGE }] : [])];
  }
  return [];
}
