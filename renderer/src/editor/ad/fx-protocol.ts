import type { ProductRecord, Transform } from '../../../../preload/contract/document';
import type { AppErrorShape } from '../../../../preload/contract/errors';
import type { BackgroundFit } from './background-fit';
import type { Box } from './snapping';

/** Messages between the ad canvas and its effects worker (fx-worker.ts). */
export interface ImageIn {
  /** Cache key in the worker (the asset hash). */
  key: string;
  bitmap: ImageBitmap;
}

/** The backdrop; null bitmap = no background record (white, like an empty ad). */
export interface BackgroundIn {
  key: string;
  bitmap: ImageBitmap | null;
  fit: BackgroundFit;
}

export type FxRequest =
  | {
      type: 'fx';
      id: number;
      canvas: { width: number; height: number };
      background: BackgroundIn;
      product: ImageIn;
      transform: Transform;
      opacity: number;
      look: Pick<ProductRecord['props'], 'shadow' | 'tone' | 'edge'>;
    }
  | {
      type: 'place';
      id: number;
      canvas: { width: number; height: number };
      background: BackgroundIn;
      product: ImageIn;
      others: Box[];
    }
  | { type: 'cancel'; id: number };

/** A drawable patch: the bitmap's top-left at (x, y) on the ad canvas. */
export interface PatchOut {
  x: number;
  y: number;
  width: number;
  height: number;
  bitmap: ImageBitmap;
}

export type FxResponse =
  | { id: number; ok: true; kind: 'fx'; shadow: PatchOut | null; product: PatchOut | null }
  | { id: number; ok: true; kind: 'place'; transform: Transform }
  | { id: number; ok: false; error: AppErrorShape };
