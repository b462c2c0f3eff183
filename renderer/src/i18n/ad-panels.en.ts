import type { adPanelsKo } from './ad-panels.ko';

/** English strings of the ad editor's panels; the type forces exactly the keys of ad-panels.ko.ts. */
export const adPanelsEn: Record<keyof typeof adPanelsKo, string> = {
};
