import { describe, expect, it } from 'vitest';
import { isSideAnchor, minWrapWidth, wrapWidthAfterStretch } from '../../../../renderer/src/editor/ad/text-wrap';

describe('text wrap width from a side-anchor drag', () => {
  it('turns the stretch into a wrap width at the record scale', () => {
    // Copy at scale 1, 300 px wide, stretched to 1.5× → 450 px of wrap width.
    expect(wrapWidthAfterStretch(300, 1, 1.5, 64)).toBe(450);
    // Copy already scaled to 0.5: a stretch to 0.75 is the same 1.5× of its own width.
    expect(wrapWidthAfterStretch(300, 0.5, 0.75, 64)).toBe(450);
    // Narrowing works too.
    expect(wrapWidthAfterStretch(400, 2, 1, 10)).toBe(200);
  });

  it('never goes below about one glyph, nor beyond the canvas limit, nor NaN', () => {
    expect(wrapWidthAfterStretch(300, 1, 0.05, minWrapWidth(64))).toBe(64);
    expect(wrapWidthAfterStretch(300, 1, 1e6, 10)).toBe(16_384);
    expect(wrapWidthAfterStretch(300, 0, 1, 20)).toBe(20);
    expect(minWrapWidth(2)).toBe(8);
  });

  it('only the middle anchors re-flow; corners keep scaling', () => {
    expect(isSideAnchor('middle-left')).toBe(true);
    expect(isSideAnchor('middle-right')).toBe(true);
    expect(isSideAnchor('bottom-right')).toBe(false);
    expect(isSideAnchor('top-center')).toBe(false);
  });
});
