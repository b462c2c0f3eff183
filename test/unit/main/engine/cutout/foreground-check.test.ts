import { describe, expect, it } from 'vitest';
import { checkForeground } from '../../../../../main/engine/cutout/foreground-check.js';
import { bananaTruth } from './banana-truth.js';

function flat(width: number, height: number, rgb: [number, number, number], noise = 0): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  let s = 7;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = Math.max(0, Math.min(255, rgb[i % 3]! + Math.round(((s >>> 16) / 65535 - 0.5) * 2 * noise)));
  }
  return data;
}

function withSquare(data: Uint8Array, width: number, side: number, rgb: [number, number, number]): Uint8Array {
  for (let y = 40; y < 40 + side; y++) for (let x = 60; x < 60 + side; x++) data.set(rgb, (y * width + x) * 3);
  return data;
}

describe('checkForeground: is there anything to cut out?', () => {
  it.each([
    ['a blank white frame', flat(640, 480, [245, 245, 245])],
    ['a flat grey frame with sensor noise', flat(640, 480, [128, 130, 126], 4)],
    ['a flat colour backdrop', flat(300, 300, [40, 90, 160], 2)],
  ])('refuses %s with a message that says what photo to use', (_label, rgb) => {
    const w = rgb.length === 640 * 480 * 3 ? 640 : 300;
    expect(() => checkForeground(rgb, null, w, rgb.length / 3 / w)).toThrow(expect.objectContaining({ code: 'bad-image', message: expect.stringMatching(/no clear product in this photo.*stands out/s) }));
  });

  it('lets the banana photo and a small product on a plain backdrop through', async () => {
    const t = await bananaTruth();
    expect(() => checkForeground(t.rgb, null, t.width, t.height)).not.toThrow();
    // 30×30 of 640×480 is 0.3 % of the frame: small, but it stands out.
    expect(() => checkForeground(withSquare(flat(640, 480, [245, 245, 245], 3), 640, 30, [30, 30, 30]), null, 640, 480)).not.toThrow();
  });

  it('leaves an input that already has transparency to its alpha', () => {
    const rgb = flat(100, 100, [200, 200, 200]);
    expect(() => checkForeground(rgb, new Uint8Array(100 * 100).fill(255), 100, 100)).not.toThrow();
  });
});
