import type { BackdropRequest } from './render.js';

/** One backdrop rendered in a worker (see workers/background-worker.ts). */
export type BackgroundJob = BackdropRequest;

export interface BackgroundJobResult {
  rgb: Uint8Array;
  harmony: string;
  base: [number, number, number];
  horizonY: number | null;
  groundY: number;
}
