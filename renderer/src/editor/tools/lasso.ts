import { fillPolygon } from '../../mask/shapes';
import type { Tool, ToolEnv, ToolPointer } from './tool-types';

/** Lasso: idle → drawing (collects points, previews the outline) → fill the closed polygon on release. */
export function createLassoTool(env: ToolEnv): Tool {
  let points: number[] | null = null;
  let subtract = false;

  const show = () => {
    if (points) env.preview({ kind: 'lasso', points: [...points], subtract });
  };

  return {
    id: 'lasso',
    state: () => (points ? 'active' : 'idle'),
    down(p) {
      if (!env.surface() || points) return;
      points = [p.x, p.y];
      subtract = p.alt || env.shapeMode() === 'subtract';
      show();
    },
    move(p: ToolPointer) {
      if (!points) return;
      const lx = points[points.length - 2]!;
      const ly = points[points.length - 1]!;
      // Skip sub-pixel jitter: it adds nothing to the outline but grows the polygon.
      if (Math.hypot(p.x - lx, p.y - ly) < 0.75) return;
      points.push(p.x, p.y);
      show();
    },
    up(p) {
      const s = env.surface();
      const pts = points;
      points = null;
      env.preview(null);
      if (!pts || !s) return;
      pts.push(p.x, p.y);
      if (pts.length < 6) return;
      s.begin();
      const changed = fillPolygon(s.data, s.width, s.height, pts, subtract ? 'erase' : 'paint');
      if (changed) s.changed(changed);
      s.commit('history.lasso');
    },
    cancel() {
      if (!points) return false;
      points = null;
      env.preview(null);
      return true;
    },
  };
}
