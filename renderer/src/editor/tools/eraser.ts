import { createStrokeTool } from './stroke-tool';
import type { Tool, ToolEnv } from './tool-types';

/** Eraser: removes mask (towards 0) with the current size and hardness. */
export function createEraserTool(env: ToolEnv): Tool {
  return createStrokeTool(env, 'eraser', 'erase', 'history.eraser');
}
