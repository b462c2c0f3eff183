/** Korean strings of the ad editor (merged into ko.ts); every key starts with 'ad.'. */
export const adPanelsKo = {
} as const;
