import type { MessageKey } from '../../i18n/translate';

export type ToolId = 'brush' | 'eraser' | 'rect' | 'lasso' | 'hand';
export const TOOL_IDS: readonly ToolId[] = ['brush', 'eraser', 'rect', 'lasso', 'hand'];
export const MASK_TOOLS: readonly ToolId[] = ['brush', 'eraser', 'rect', 'lasso'];

/** A pointer in image pixel coordinates (fractional). */
export interface ToolPointer {
  x: number;
  y: number;
  /** Alt held: shapes subtract instead of add. */
  alt: boolean;
}

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A history label is an i18n key so menus follow the UI language. */
export type HistoryLabel = Extract<MessageKey, `history.${string}`>;

/**
 * The live mask a tool paints into: the working Uint8Array (255 = fill) plus a display that is
 * refreshed over dirty rects. begin() snapshots, restore() brings the snapshot back exactly (Escape),
 * commit() hands the finished gesture to history as one step.
 */
export interface MaskSurface {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  begin(): void;
  changed(rect: PixelRect): void;
  restore(): void;
  commit(label: HistoryLabel): void;
}

export type ToolPreview =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; subtract: boolean }
  | { kind: 'lasso'; points: number[]; subtract: boolean }
  | null;

export interface ToolEnv {
  surface(): MaskSurface | null;
  brush(): { size: number; hardness: number };
  shapeMode(): 'add' | 'subtract';
  preview(p: ToolPreview): void;
}

/** A tool is a small state machine driven by pointer events; `cancel` answers whether it cancelled anything. */
export interface Tool {
  readonly id: ToolId;
  state(): 'idle' | 'active';
  down(p: ToolPointer): void;
  move(p: ToolPointer): void;
  up(p: ToolPointer): void;
  cancel(): boolean;
}
