import { useEffect, type RefObject } from 'react';
import type { Editor } from '../../editor/editor';
import { panBy, screenToImage, wheelZoomFactor, zoomAround, type Viewport } from '../../editor/viewport';
import { CUTOUT_MIME, parseCutoutPayload } from '../../editor/ad/cutout-drop';

/**
 * View input around the ad stage (native listeners: the wheel must be non-passive): wheel zooms
 * about the pointer, the middle button or Space+drag pans (before Konva sees the press, so no
 * layer starts dragging), and cut-outs dragged from the panels' tray drop onto the canvas.
 */
export function useAdViewInput(ed: Editor, host: RefObject<HTMLDivElement | null>, productName: string): void {
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let space = false;
    let pan: { x: number; y: number; vp: Viewport; id: number } | null = null;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const vp = ed.session.get().viewport;
      ed.session.set({ viewport: zoomAround(vp, vp.zoom * wheelZoomFactor(e.deltaY, e.deltaMode), local(e)) });
    };
    const onDown = (e: PointerEvent) => {
      if (!(e.button === 1 || (e.button === 0 && space))) return;
      e.preventDefault();
      e.stopPropagation();
      pan = { x: e.clientX, y: e.clientY, vp: ed.session.get().viewport, id: e.pointerId };
      el.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      if (!pan || e.pointerId !== pan.id) return;
      e.stopPropagation();
      ed.session.set({ viewport: panBy(pan.vp, e.clientX - pan.x, e.clientY - pan.y) });
    };
    const onUp = (e: PointerEvent) => {
      if (pan && e.pointerId === pan.id) pan = null;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.code === 'Space' && !(e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement)) space = e.type === 'keydown';
    };
    const onDragOver = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes(CUTOUT_MIME)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      const text = e.dataTransfer?.getData(CUTOUT_MIME);
      if (!text) return;
      e.preventDefault();
      // Keep the welcome screen's file drop from seeing it too.
      e.stopPropagation();
      const payload = parseCutoutPayload(text);
      if (!payload) return;
      ed.ad.dropCutout(payload, screenToImage(ed.session.get().viewport, local(e)), productName);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('pointerdown', onDown, { capture: true });
    el.addEventListener('pointermove', onMove, { capture: true });
    el.addEventListener('pointerup', onUp, { capture: true });
    el.addEventListener('dragover', onDragOver);
    el.addEventListener('drop', onDrop);
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    return () => {
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('pointerdown', onDown, { capture: true });
      el.removeEventListener('pointermove', onMove, { capture: true });
      el.removeEventListener('pointerup', onUp, { capture: true });
      el.removeEventListener('dragover', onDragOver);
      el.removeEventListener('drop', onDrop);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKey);
    };
  }, [ed, host, productName]);
}
