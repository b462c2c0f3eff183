import { fillRect } from '../../mask/shapes';
import type { PixelRect, Tool, ToolEnv, ToolPointer } from './tool-types';

/** Normalised, pixel-snapped rectangle between two points, clipped to the image. */
export function rectBetween(a: { x: number; y: number }, b: { x: number; y: number }, width: number, height: number): PixelRect {
  const x0 = Math.max(0, Math.min(width, Math.round(Math.min(a.x, b.x))));
  const y0 = Math.max(0, Math.min(height, Math.round(Math.min(a.y, b.y))));
  const x1 = Math.max(0, Math.min(width, Math.round(Math.max(a.x, b.x))));
  const y1 = Math.max(0, Math.min(height, Math.round(Math.max(a.y, b.y))));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Rectangle: idle → dragging (preview) → fill on release; Alt or the Subtract mode removes. */
export function createRectTool(env: ToolEnv): Tool {
  let start: { x: number; y: number } | null = null;
  let subtract = false;

  const preview = (p: ToolPointer) => {
    const s = env.surface();
    if (!start || !s) return;
    const r = rectBetween(start, p, s.width, s.height);
    env.preview({ kind: 'rect', ...r, subtract });
  };

  return {
    id: 'rect',
    state: () => (start ? 'active' : 'idle'),
    down(p) {
      if (!env.surface() || start) return;
      start = { x: p.x, y: p.y };
      subtract = p.alt || env.shapeMode() === 'subtract';
      preview(p);
    },
    move(p) {
      if (!start) return;
      subtract = p.alt || env.shapeMode() === 'subtract';
      preview(p);
    },
    up(p) {
      const s = env.surface();
      const from = start;
      start = null;
      env.preview(null);
      if (!from || !s) return;
      const r = rectBetween(from, p, s.width, s.height);
      if (r.width < 1 || r.height < 1) return;
      s.begin();
      const changed = fillRect(s.data, s.width, s.height, r, subtract ? 'erase' : 'paint');
      if (changed) s.changed(changed);
      s.commit('history.rect');
    },
    cancel() {
      if (!start) return false;
      start = null;
      env.preview(null);
      return true;
    },
  };
}
