import { describe, expect, it } from 'vitest';
import { createLiveMask } from '../../../../renderer/src/editor/mask-surface';
import { createTools } from '../../../../renderer/src/editor/tools/create-tools';
import type { HistoryLabel, ToolEnv, ToolPreview } from '../../../../renderer/src/editor/tools/tool-types';

const W = 64;
const H = 48;

function setup(opts: { size?: number; hardness?: number; mode?: 'add' | 'subtract' } = {}) {
  const commits: { data: Uint8Array; label: HistoryLabel }[] = [];
  let repaints = 0;
  const live = createLiveMask(W, H, null, {
    repaint: () => repaints++,
    commit: (data, label) => commits.push({ data, label }),
  });
  const previews: ToolPreview[] = [];
  const env: ToolEnv = {
    surface: () => live,
    brush: () => ({ size: opts.size ?? 8, hardness: opts.hardness ?? 1 }),
    shapeMode: () => opts.mode ?? 'add',
    preview: (p) => previews.push(p),
  };
  return { live, commits, previews, tools: createTools(env), repaints: () => repaints };
}

const at = (x: number, y: number, alt = false) => ({ x, y, alt });
const count = (m: Uint8Array) => m.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

describe('brush and eraser', () => {
  it('a stroke paints along its path and commits exactly once, on release', () => {
    const { live, commits, tools } = setup();
    const brush = tools.brush!;
    brush.down(at(10, 10));
    brush.move(at(20, 10));
    brush.move(at(30, 10));
    expect(commits).toHaveLength(0); // nothing reaches history mid-stroke
    expect(live.data[10 * W + 20]).toBe(255);
    expect(live.data[40 * W + 20]).toBe(0);
    brush.up(at(30, 10));
    expect(commits).toHaveLength(1);
    expect(commits[0]!.label).toBe('history.brush');
    expect(commits[0]!.data).toEqual(live.data);
    // The committed copy is private: painting on does not change it.
    brush.down(at(50, 40));
    brush.up(at(50, 40));
    expect(commits[0]!.data[40 * W + 50]).toBe(0);
  });

  it('a click without moving paints a dab', () => {
    const { live, tools } = setup({ size: 6 });
    tools.brush!.down(at(32.5, 24.5));
    tools.brush!.up(at(32.5, 24.5));
    expect(live.data[24 * W + 32]).toBe(255);
    expect(count(live.data)).toBeGreaterThan(20);
  });

  it('Escape mid-stroke restores the mask byte for byte and commits nothing', () => {
    const { live, commits, tools } = setup({ hardness: 0.3 });
    tools.brush!.down(at(5, 5));
    tools.brush!.move(at(40, 30));
    tools.brush!.up(at(40, 30));
    const before = live.data.slice();
    tools.brush!.down(at(10, 40));
    tools.brush!.move(at(60, 2));
    expect(live.data).not.toEqual(before);
    expect(tools.brush!.cancel()).toBe(true);
    expect(live.data).toEqual(before);
    tools.brush!.up(at(60, 2)); // the release after Escape does nothing
    expect(commits).toHaveLength(1);
    expect(tools.brush!.cancel()).toBe(false);
  });

  it('the eraser removes mask where it passes', () => {
    const { live, commits, tools } = setup({ size: 10 });
    live.replace(new Uint8Array(W * H).fill(255));
    tools.eraser!.down(at(0, 20));
    tools.eraser!.move(at(63, 20));
    tools.eraser!.up(at(63, 20));
    expect(live.data[20 * W + 30]).toBe(0);
    expect(live.data[2 * W + 30]).toBe(255);
    expect(commits.at(-1)!.label).toBe('history.eraser');
  });

  it('a stroke entirely outside the image leaves no history entry', () => {
    const { commits, tools } = setup();
    tools.brush!.down(at(-100, -100));
    tools.brush!.move(at(-90, -100));
    tools.brush!.up(at(-90, -100));
    expect(commits).toHaveLength(0);
  });
});

describe('rectangle and lasso', () => {
  it('rectangle previews while dragging and fills on release', () => {
    const { live, commits, previews, tools } = setup();
    tools.rect!.down(at(10, 10));
    tools.rect!.move(at(20, 30));
    expect(previews.at(-1)).toMatchObject({ kind: 'rect', x: 10, y: 10, width: 10, height: 20, subtract: false });
    expect(count(live.data)).toBe(0);
    tools.rect!.up(at(20, 30));
    expect(previews.at(-1)).toBeNull();
    expect(count(live.data)).toBe(10 * 20);
    expect(commits.map((c) => c.label)).toEqual(['history.rect']);
  });

  it('Alt (or the subtract mode) cuts a rectangle out', () => {
    const { live, tools } = setup();
    live.replace(new Uint8Array(W * H).fill(255));
    tools.rect!.down(at(0, 0, true));
    tools.rect!.up(at(10, 10, true));
    expect(count(live.data)).toBe(W * H - 100);

    const sub = setup({ mode: 'subtract' });
    sub.live.replace(new Uint8Array(W * H).fill(255));
    sub.tools.rect!.down(at(0, 0));
    sub.tools.rect!.up(at(4, 4));
    expect(count(sub.live.data)).toBe(W * H - 16);
  });

  it('Escape while dragging a rectangle changes nothing', () => {
    const { live, commits, tools } = setup();
    tools.rect!.down(at(1, 1));
    tools.rect!.move(at(30, 30));
    expect(tools.rect!.cancel()).toBe(true);
    tools.rect!.up(at(30, 30));
    expect(count(live.data)).toBe(0);
    expect(commits).toHaveLength(0);
  });

  it('lasso fills the closed outline', () => {
    const { live, commits, tools } = setup();
    tools.lasso!.down(at(10, 10));
    tools.lasso!.move(at(40, 10));
    tools.lasso!.move(at(40, 40));
    tools.lasso!.up(at(10, 40));
    const filled = count(live.data);
    expect(filled).toBeGreaterThan(800); // ~30×30
    expect(filled).toBeLessThan(1000);
    expect(live.data[25 * W + 25]).toBe(255);
    expect(live.data[5 * W + 5]).toBe(0);
    expect(commits.map((c) => c.label)).toEqual(['history.lasso']);
  });

  it('a lasso with too few points is ignored', () => {
    const { live, commits, tools } = setup();
    tools.lasso!.down(at(10, 10));
    tools.lasso!.up(at(10.2, 10.2));
    expect(count(live.data)).toBe(0);
    expect(commits).toHaveLength(0);
  });
});
