import type Konva from 'konva';
import { useEffect, useState, type RefObject } from 'react';
import type { Editor } from '../editor/editor';
import { MASK_TOOLS, type ToolId } from '../editor/tools/tool-types';
import { isTypingTarget } from '../editor/shortcuts';
import { panBy, screenToImage, wheelZoomFactor, zoomAround, type Viewport } from '../editor/viewport';
import { testMetrics } from '../app/test-hook';

interface Refs {
  host: RefObject<HTMLDivElement | null>;
  cursor: RefObject<Konva.Group | null>;
  toolLayer: RefObject<Konva.Layer | null>;
}

export type CanvasCursor = 'none' | 'crosshair' | 'grab' | 'grabbing' | 'default' | 'pointer';

/**
 * Pointer, wheel and hold-key input on the canvas, with native listeners: the wheel must be
 * non-passive to stop page zoom, and strokes use coalesced events for smooth lines. State is read
 * at event time from the editor (no stale closures, no React render per move).
 */
export function useCanvasInput(ed: Editor, refs: Refs, view: { tool: ToolId; comparing: boolean }): { cursor: CanvasCursor } {
  const [space, setSpace] = useState(false);
  const [panning, setPanning] = useState(false);
  const [overRegion, setOverRegion] = useState(false);
  const { tool, comparing } = view;

  useEffect(() => {
    const host = refs.host.current;
    if (!host) return;
    let pan: { x: number; y: number; vp: Viewport; id: number } | null = null;
    let stroke: number | null = null; // pointer id of an active tool gesture
    let spaceDown = false;

    const local = (e: { clientX: number; clientY: number }) => {
      const r = host.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const toImage = (e: PointerEvent) => {
      const p = screenToImage(ed.session.get().viewport, local(e));
      return { x: p.x, y: p.y, alt: e.altKey };
    };
    /**
     * The proposed text region a click at `e` would toggle: with a mask tool (the hand tool pans),
     * when no gesture runs. Clicking a region toggles it instead of painting there.
     */
    const regionAt = (e: PointerEvent): number | null => {
      const s = ed.session.get();
      if (pan || stroke !== null || spaceDown || s.compare || !MASK_TOOLS.includes(s.tool)) return null;
      const p = toImage(e);
      return ed.textRegions.hitTest(p.x, p.y, s.viewport.zoom);
    };
    const moveCursor = (e: PointerEvent | null) => {
      const g = refs.cursor.current;
      if (!g) return;
      const region = e ? regionAt(e) : null;
      ed.textRegions.hover(region);
      setOverRegion(region !== null);
      if (!e || pan) {
        if (g.visible()) {
          g.visible(false);
          refs.toolLayer.current?.batchDraw();
        }
        ed.pointer.set({ inside: false });
        return;
      }
      const p = toImage(e);
      g.position({ x: p.x, y: p.y });
      // Over a proposed region a click toggles it: no brush ring there, the pointer cursor instead.
      g.visible(region === null);
      refs.toolLayer.current?.batchDraw();
      const img = ed.image();
      const inside = !!img && p.x >= 0 && p.y >= 0 && p.x < img.props.width && p.y < img.props.height;
      ed.pointer.set({ x: p.x, y: p.y, inside });
    };

    const onDown = (e: PointerEvent) => {
      if (!ed.session.get().hasDocument) return;
      const s = ed.session.get();
      const wantsPan = e.button === 1 || (e.button === 0 && (spaceDown || s.tool === 'hand'));
      if (wantsPan) {
        e.preventDefault();
        pan = { x: e.clientX, y: e.clientY, vp: s.viewport, id: e.pointerId };
        host.setPointerCapture(e.pointerId);
        setPanning(true);
        moveCursor(null);
        return;
      }
      if (e.button !== 0 || !MASK_TOOLS.includes(s.tool)) return;
      const region = regionAt(e);
      if (region !== null) {
        e.preventDefault();
        ed.textRegions.toggle(region);
        return;
      }
      const t = ed.tools[s.tool];
      if (!t) return;
      host.setPointerCapture(e.pointerId);
      stroke = e.pointerId;
      t.down(toImage(e));
    };

    const onMove = (e: PointerEvent) => {
      if (pan && e.pointerId === pan.id) {
        ed.session.set({ viewport: panBy(pan.vp, e.clientX - pan.x, e.clientY - pan.y) });
        return;
      }
      const started = performance.now();
      moveCursor(e);
      if (stroke === e.pointerId) {
        const t = ed.tools[ed.session.get().tool];
        const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
        const samples = events.length > 0 ? events : [e];
        for (const ce of samples) t?.move(toImage(ce));
        const m = testMetrics();
        if (m) {
          // Every pointer sample drawn (coalesced ones too), from when it happened to the frame that shows it.
          const times = samples.map((s) => s.timeStamp);
          requestAnimationFrame(() => {
            const now = performance.now();
            for (const t of times) m.moveLatencies.push(now - t);
            m.moveWork.push(now - started);
          });
        }
      }
    };

    const onUp = (e: PointerEvent) => {
      if (pan && e.pointerId === pan.id) {
        pan = null;
        setPanning(false);
        return;
      }
      if (stroke === e.pointerId) {
        stroke = null;
        ed.tools[ed.session.get().tool]?.up(toImage(e));
      }
    };

    // Middle-click would start the browser's autoscroll instead of our pan.
    const onMouseDown = (e: MouseEvent) => {
      if (e.button === 1) e.preventDefault();
    };
    const onLeave = () => {
      if (!pan && stroke === null) moveCursor(null);
    };

    const onWheel = (e: WheelEvent) => {
      if (!ed.session.get().hasDocument) return;
      e.preventDefault();
      const vp = ed.session.get().viewport;
      // Ctrl+wheel is also what trackpad pinch sends: both zoom around the pointer.
      const factor = wheelZoomFactor(e.deltaY, e.deltaMode);
      ed.session.set({ viewport: zoomAround(vp, vp.zoom * factor, local(e)) });
    };

    const onKeyDown = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || ed.session.get().dialog) return;
      if (e.code === 'Space') {
        e.preventDefault(); // no page scroll, no button "click"
        if (!spaceDown) {
          spaceDown = true;
          setSpace(true);
        }
      } else if (e.code === 'Backslash' && !e.ctrlKey && !e.metaKey) {
        const cmp = ed.session.get().compare;
        if (cmp && !cmp.holding) ed.session.set({ compare: { ...cmp, holding: true } });
      }
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.code === 'Space') {
        spaceDown = false;
        setSpace(false);
      } else if (e.code === 'Backslash') {
        const cmp = ed.session.get().compare;
        if (cmp?.holding) ed.session.set({ compare: { ...cmp, holding: false } });
      }
    };
    const onBlur = () => {
      spaceDown = false;
      setSpace(false);
      const cmp = ed.session.get().compare;
      if (cmp?.holding) ed.session.set({ compare: { ...cmp, holding: false } });
    };

    host.addEventListener('pointerdown', onDown);
    host.addEventListener('pointermove', onMove);
    host.addEventListener('pointerup', onUp);
    host.addEventListener('pointercancel', onUp);
    host.addEventListener('pointerleave', onLeave);
    host.addEventListener('mousedown', onMouseDown);
    host.addEventListener('wheel', onWheel, { passive: false });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      host.removeEventListener('pointerdown', onDown);
      host.removeEventListener('pointermove', onMove);
      host.removeEventListener('pointerup', onUp);
      host.removeEventListener('pointercancel', onUp);
      host.removeEventListener('pointerleave', onLeave);
      host.removeEventListener('mousedown', onMouseDown);
      host.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [ed, refs.host, refs.cursor, refs.toolLayer]);

  const cursor: CanvasCursor = panning
    ? 'grabbing'
    : space || tool === 'hand'
      ? 'grab'
      : comparing
        ? 'default'
        : overRegion
          ? 'pointer'
        : tool === 'brush' || tool === 'eraser'
          ? 'none'
          : 'crosshair';
  return { cursor };
}
