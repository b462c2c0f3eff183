import type { adCanvasKo } from './ad-canvas.ko';

/** English strings of the ad editor's canvas; the type forces exactly the keys of ad-canvas.ko.ts. */
export const adCanvasEn: Record<keyof typeof adCanvasKo, string> = {
};
