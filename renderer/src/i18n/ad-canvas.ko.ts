/** Korean strings of the ad editor (merged into ko.ts); every key starts with 'adCanvas.'. */
export const adCanvasKo = {
} as const;
