import { useEffect, useRef, type RefObject } from 'react';
import type { Editor } from '../editor/editor';

/**
 * Tracks the canvas area's size in the session (viewSize); the first real size for a newly opened
 * document (docSerial) fits the document into it. Shared by the photo and the ad canvas.
 */
export function useFitToHost(ed: Editor, host: RefObject<HTMLDivElement | null>, docSerial: number): void {
  const fitted = useRef(-1);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return;
      ed.session.set({ viewSize: { width: Math.round(r.width), height: Math.round(r.height) } });
      if (fitted.current !== ed.session.get().docSerial) {
        fitted.current = ed.session.get().docSerial;
        ed.fit();
      }
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ed, host, docSerial]);
}
