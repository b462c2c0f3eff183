import { describe, expect, it } from 'vitest';
import { copyColorFor, DARK_COPY, LIGHT_COPY, meanLuminance } from '../../../../renderer/src/editor/ad/text-contrast';

const pixels = (rgb: [number, number, number], n = 16, alpha = 255) => Array.from({ length: n }, () => [...rgb, alpha]).flat();

describe('copy colour for a backdrop', () => {
  it('puts white copy on a dark brown tabletop and dark copy on a cream sweep', () => {
    expect(copyColorFor(meanLuminance(pixels([58, 42, 12])))).toBe(LIGHT_COPY);
    expect(copyColorFor(meanLuminance(pixels([236, 224, 200])))).toBe(DARK_COPY);
  });

  it('weighs green as the eye does: a saturated green reads as light, a saturated blue as dark', () => {
    expect(copyColorFor(meanLuminance(pixels([0, 200, 0])))).toBe(DARK_COPY);
    expect(copyColorFor(meanLuminance(pixels([0, 0, 220])))).toBe(LIGHT_COPY);
  });

  it('ignores transparent pixels', () => {
    const mixed = [...pixels([10, 10, 10], 4), ...pixels([250, 250, 250], 40, 0)];
    expect(meanLuminance(mixed)).toBeLessThan(0.1);
  });
});
