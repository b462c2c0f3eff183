import { stampSegment } from '../../mask/brush';
import type { HistoryLabel, Tool, ToolEnv, ToolId, ToolPointer } from './tool-types';

/**
 * Brush and eraser share one machine: idle → painting (pointer down) → idle (up: commit once,
 * or Escape: restore the snapshot exactly). Each move stamps only the new segment.
 */
export function createStrokeTool(env: ToolEnv, id: ToolId, mode: 'paint' | 'erase', label: HistoryLabel): Tool {
  let painting = false;
  let last = { x: 0, y: 0 };

  const stamp = (x0: number, y0: number, x1: number, y1: number) => {
    const s = env.surface();
    if (!s) return;
    const { size, hardness } = env.brush();
    const rect = stampSegment(s.data, s.width, s.height, x0, y0, x1, y1, { size, hardness, mode });
    if (rect && rect.width > 0 && rect.height > 0) s.changed(rect);
  };

  return {
    id,
    state: () => (painting ? 'active' : 'idle'),
    down(p: ToolPointer) {
      const s = env.surface();
      if (!s || painting) return;
      s.begin();
      painting = true;
      last = { x: p.x, y: p.y };
      stamp(p.x, p.y, p.x, p.y);
    },
    move(p: ToolPointer) {
      if (!painting) return;
      stamp(last.x, last.y, p.x, p.y);
      last = { x: p.x, y: p.y };
    },
    up() {
      if (!painting) return;
      painting = false;
      env.surface()?.commit(label);
    },
    cancel() {
      if (!painting) return false;
      painting = false;
      env.surface()?.restore();
      return true;
    },
  };
}
