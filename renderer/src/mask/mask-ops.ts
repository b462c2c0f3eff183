import { RendererError } from '../assets/renderer-error';
import type { AppErrorShape } from '../../../preload/contract/errors';
import { composeCrops, type MaskCrop } from './compose-regions';
import { feather, grow, invert, shrink } from './morphology';
import { decodeGrayPng, encodeGrayPng, encodeGrayPngFast, type EncodeOptions } from './png-gray';

/**
 * The operations the mask worker runs, as plain data so the same function serves the worker and
 * the synchronous fallback (node tests, no Worker). Results are always {data, width, height}; for
 * encodePng `data` is the PNG file. encodePngKeep also hands the (transferred) input back as `input`,
 * so a 16 MP mask crosses to the worker and back without a copy.
 */
export type MaskOp =
  | { op: 'grow' | 'shrink' | 'feather'; data: Uint8Array; width: number; height: number; radius: number }
  | { op: 'invert'; data: Uint8Array; width: number; height: number }
  | { op: 'encodePng'; data: Uint8Array; width: number; height: number; level?: EncodeOptions['level'] }
  | { op: 'encodePngKeep'; data: Uint8Array<ArrayBuffer>; width: number; height: number }
  | { op: 'decodePng'; data: Uint8Array }
  /** `data` is the base mask, or empty for none; the crops are maxed into it (compose-regions.ts). */
  | { op: 'compose'; data: Uint8Array; width: number; height: number; crops: MaskCrop[] };

export interface MaskResult {
  data: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
  /** encodePngKeep: the input, given back. */
  input?: Uint8Array<ArrayBuffer>;
}

export type MaskRequest = MaskOp & { id: number };
export type MaskResponse = ({ ok: true } & MaskResult & { id: number }) | { id: number; ok: false; error: AppErrorShape };

export function runMaskOp(req: MaskOp): MaskResult {
  switch (req.op) {
    case 'grow':
      return { data: own(grow(req.data, req.width, req.height, req.radius)), width: req.width, height: req.height };
    case 'shrink':
      return { data: own(shrink(req.data, req.width, req.height, req.radius)), width: req.width, height: req.height };
    case 'feather':
      return { data: own(feather(req.data, req.width, req.height, req.radius)), width: req.width, height: req.height };
    case 'invert':
      return { data: own(invert(req.data)), width: req.width, height: req.height };
    case 'encodePng':
      return { data: encodeGrayPng(req.data, req.width, req.height, req.level === undefined ? {} : { level: req.level }), width: req.width, height: req.height };
    case 'encodePngKeep':
      return { data: encodeGrayPng(req.data, req.width, req.height), width: req.width, height: req.height, input: req.data };
    case 'compose':
      return { data: composeCrops(req.data.length ? req.data : null, req.width, req.height, req.crops), width: req.width, height: req.height };
    case 'decodePng': {
      const m = decodeGrayPng(req.data);
      return { data: own(m.data), width: m.width, height: m.height };
    }
    default:
      throw new RendererError('bad-request', `unknown mask operation "${(req as { op: string }).op}"`);
  }
}

/** runMaskOp, but a PNG encode without an explicit level uses the platform's zlib (async). */
export async function runMaskOpAsync(req: MaskOp): Promise<MaskResult> {
  if (req.op === 'encodePng' && req.level === undefined) {
    return { data: await encodeGrayPngFast(req.data, req.width, req.height), width: req.width, height: req.height };
  }
  if (req.op === 'encodePngKeep') {
    return { data: await encodeGrayPngFast(req.data, req.width, req.height), width: req.width, height: req.height, input: req.data };
  }
  return runMaskOp(req);
}

export function toErrorShape(err: unknown): AppErrorShape {
  const e = RendererError.from(err);
  return { code: e.code, message: e.message };
}

/** Our ops always allocate fresh ArrayBuffer-backed arrays; this narrows the type for transfer lists. */
function own(a: Uint8Array): Uint8Array<ArrayBuffer> {
  return a as Uint8Array<ArrayBuffer>;
}
