import { createBrushTool } from './brush';
import { createEraserTool } from './eraser';
import { createLassoTool } from './lasso';
import { createRectTool } from './rect';
import type { Tool, ToolEnv, ToolId } from './tool-types';

/** The mask tools by id (the hand tool has no mask behaviour: the canvas pans for it). */
export function createTools(env: ToolEnv): Partial<Record<ToolId, Tool>> {
  return {
    brush: createBrushTool(env),
    eraser: createEraserTool(env),
    rect: createRectTool(env),
    lasso: createLassoTool(env),
  };
}
