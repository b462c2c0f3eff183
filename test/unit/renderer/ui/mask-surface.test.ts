import { describe, expect, it } from 'vitest';
import { createLiveMask } from '../../../../renderer/src/editor/mask-surface';
import type { HistoryLabel, PixelRect } from '../../../../renderer/src/editor/tools/tool-types';

const W = 50;
const H = 40;

function setup(initial: Uint8Array | null = null) {
  const commits: { data: Uint8Array; label: HistoryLabel; dirty: PixelRect | null }[] = [];
  const repaints: (PixelRect | null)[] = [];
  const live = createLiveMask(W, H, initial, {
    repaint: (r) => repaints.push(r),
    commit: (data, label, dirty) => commits.push({ data, label, dirty }),
  });
  const paint = (x: number, y: number, w: number, h: number, v = 255) => {
    for (let yy = y; yy < y + h; yy++) live.data.fill(v, yy * W + x, yy * W + x + w);
    live.changed({ x, y, width: w, height: h });
  };
  return { live, commits, repaints, paint };
}

describe('live mask (what tools paint into)', () => {
  it('Escape brings back the exact bytes from before the stroke, after earlier strokes were committed', () => {
    const { live, commits, paint } = setup();
    live.begin();
    paint(2, 2, 10, 5);
    live.commit('history.brush');
    const afterFirst = live.data.slice();
    live.begin();
    paint(5, 4, 20, 20, 128); // overlaps the first stroke
    paint(30, 30, 5, 5);
    expect(live.inGesture()).toBe(true);
    live.restore();
    expect(live.inGesture()).toBe(false);
    expect(live.data).toEqual(afterFirst);
    expect(commits).toHaveLength(1);
    // And the next stroke starts from there too.
    live.begin();
    paint(0, 0, 3, 3);
    live.restore();
    expect(live.data).toEqual(afterFirst);
  });

  it('each commit hands over a private copy: painting on does not change what was committed', async () => {
    const { live, commits, paint } = setup();
    live.begin();
    paint(1, 1, 4, 4);
    live.commit('history.brush');
    await new Promise((r) => setTimeout(r, 80)); // the spare buffer for the next copy is prepared while idle
    live.begin();
    paint(10, 10, 4, 4);
    live.commit('history.eraser');
    expect(commits.map((c) => c.label)).toEqual(['history.brush', 'history.eraser']);
    expect(commits[0]!.data).not.toBe(live.data);
    expect(commits[1]!.data).not.toBe(commits[0]!.data);
    expect(commits[0]!.data[10 * W + 10]).toBe(0);
    expect(commits[1]!.data[10 * W + 10]).toBe(255);
    expect(commits[1]!.dirty).toEqual({ x: 10, y: 10, width: 4, height: 4 });
    live.data.fill(3);
    expect(commits[1]!.data[0]).toBe(0);
  });

  it('a gesture that changed nothing leaves no history entry', () => {
    const { live, commits } = setup();
    live.begin();
    live.changed({ x: -20, y: -20, width: 5, height: 5 }); // entirely outside the mask
    live.commit('history.brush');
    expect(commits).toEqual([]);
  });

  it('replace() (undo, reload) becomes the state Escape returns to, and repaints everything', () => {
    const start = new Uint8Array(W * H).fill(0);
    start.fill(255, 0, 100);
    const { live, repaints, paint } = setup(start);
    expect(live.data).toEqual(start);
    const next = new Uint8Array(W * H);
    next.fill(77, 500, 900);
    live.replace(next);
    expect(repaints.at(-1)).toBeNull();
    live.begin();
    paint(0, 0, 50, 40, 1);
    live.restore();
    expect(live.data).toEqual(next);
  });
});
