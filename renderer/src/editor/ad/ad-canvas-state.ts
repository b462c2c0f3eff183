import type { Guide } from './snapping';

/** Session state of the ad canvas (never in history): the gesture in flight, guides, text editing. */
export interface AdCanvasState {
  /** A move or transform gesture is running (effects wait for its end). */
  gesture: 'move' | 'transform' | null;
  guides: Guide[];
  /** The text record being edited on the canvas. */
  editingTextId: string | null;
  /** Auto place is running for this record. */
  placing: string | null;
}

export function initialAdCanvasState(): AdCanvasState {
  return { gesture: null, guides: [], editingTextId: null, placing: null };
}
