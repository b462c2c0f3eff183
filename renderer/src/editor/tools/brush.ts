import { createStrokeTool } from './stroke-tool';
import type { Tool, ToolEnv } from './tool-types';

/** Brush: paints the mask (255) with the current size and hardness. */
export function createBrushTool(env: ToolEnv): Tool {
  return createStrokeTool(env, 'brush', 'paint', 'history.brush');
}
