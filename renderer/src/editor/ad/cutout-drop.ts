/**
 * The drag payload of a cut-out from the panels' tray (an HTML element with draggable=true):
 * dataTransfer type CUTOUT_MIME, JSON { asset, width, height, madeBy, source }.
 */
export const CUTOUT_MIME = 'application/x-adstudio-cutout';

export interface CutoutPayload {
  asset: string;
  width: number;
  height: number;
  madeBy: string;
  source: string | null;
  name?: string;
}

const HASH = /^[0-9a-f]{64}$/;

/** The payload, or null when it is not a cut-out we can place. */
export function parseCutoutPayload(text: string): CutoutPayload | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const dim = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65_535;
  if (typeof o.asset !== 'string' || !HASH.test(o.asset) || !dim(o.width) || !dim(o.height)) return null;
  const source = typeof o.source === 'string' && HASH.test(o.source) ? o.source : null;
  return {
    asset: o.asset,
    width: o.width as number,
    height: o.height as number,
    madeBy: typeof o.madeBy === 'string' ? o.madeBy : 'cutout',
    source,
    ...(typeof o.name === 'string' && o.name ? { name: o.name } : {}),
  };
}
