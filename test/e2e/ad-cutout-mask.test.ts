import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, drag, fetchAsset, fixture, maskState, openEditorPage, openImage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';
import { decodeGray, type Raster } from './support/pixels.js';

/**
 * Issue #4, "the cut-out is an editable mask", in real Chromium against the real browser-mode
 * server: Select product turns the photo's mask into the product selection, the user takes the
 * right half away with the rectangle tool in subtract mode, and Make ad cuts out along the
 * corrected mask — the removed half is transparent in the product layer, the rest opaque.
 */
interface Rec {
  id: string;
  type: string;
  props: Record<string, unknown> & { asset?: string | null; madeBy?: string };
}
interface Doc {
  kind?: string;
  records: Record<string, Rec>;
}
interface Hook {
  store: { document(): Doc; history(): { undo: string[] } };
}
type G = typeof globalThis & { __adstudioTest: Hook };

const PHOTO = fixture('product-banana.png');
/** The banana photo is 800×705; everything right of this column is taken out of the selection. */
const CUT_X = 400;

async function alphaOf(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

describe('cut-out correction with the mask tools', () => {
  let h: Harness;
  let ui: EditorPage;
  let selection: Raster;
  captureFailures('ad-cutout-mask', () => ui?.page);

  beforeAll(async () => {
    h = await startHarness('ad-cutout-mask');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Select product makes the product the mask in one undo step, and the mask panel says so', async () => {
    const { page } = ui;
    await page.getByTestId('welcome').waitFor();
    const opened = await openImage(page, PHOTO);
    expect(opened).toMatchObject({ width: 800, height: 705 });
    await page.getByTestId('select-product').click();
    await page.getByTestId('job-toast').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => (globalThis as G).__adstudioTest.store.history().undo.includes('ad.history.selectProduct'), undefined, { timeout: 240_000 });
    const m = await maskState(page);
    expect(m.undo).toEqual(['ad.history.selectProduct']);
    // The overlay shows the banana: a good part of the photo, far from all of it.
    expect(m.painted).toBeGreaterThan(800 * 705 * 0.15);
    expect(m.painted).toBeLessThan(800 * 705 * 0.6);
    await page.getByTestId('product-selection-note').waitFor();
    // The mask is the product now: Erase would erase the product itself, so it is off.
    expect(await page.getByTestId('erase').isDisabled()).toBe(true);
    selection = await decodeGray(await fetchAsset(ui.context, h.editor.origin, m.asset!));
    expect([selection.width, selection.height]).toEqual([800, 705]);
    await snap(page, 'ad-cutout-mask-01-selected');
  });

  it('the rectangle tool in subtract mode takes the right half out of the selection', async () => {
    const { page } = ui;
    await page.getByTestId('tool-rect').click();
    await page.getByTestId('shape-mode-subtract').click();
    await drag(page, [
      { x: CUT_X, y: 2 },
      { x: 798, y: 703 },
    ]);
    await page.waitForFunction(() => (globalThis as G).__adstudioTest.store.history().undo.length === 2, undefined, { timeout: 15_000 });
    const m = await maskState(page);
    expect(m.undo).toEqual(['ad.history.selectProduct', 'history.rect']);
    const mask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, m.asset!));
    let right = 0;
    let left = 0;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        const v = mask.data[y * mask.width + x]!;
        if (x >= CUT_X + 2 && v > 0) right++;
        if (x < CUT_X - 2 && v > 0) left++;
      }
    }
    expect(right).toBe(0);
    expect(left).toBeGreaterThan(20_000);
    // Still the product selection after the correction.
    expect(await page.getByTestId('product-selection-note').isVisible()).toBe(true);
    await snap(page, 'ad-cutout-mask-02-corrected');
  });

  it('Make ad cuts out along the corrected selection: the removed half is transparent, the rest opaque', async () => {
    const { page } = ui;
    await page.getByTestId('make-ad').click();
    await page.waitForFunction(() => (globalThis as G).__adstudioTest.store.document().kind === 'ad', undefined, { timeout: 240_000 });
    const doc = await page.evaluate(() => (globalThis as G).__adstudioTest.store.document());
    const product = Object.values(doc.records).find((r) => r.type === 'product')!;
    expect(product.props.madeBy).toBe('cutout:mask');
    const alpha = await alphaOf(await fetchAsset(ui.context, h.editor.origin, product.props.asset!));
    expect([alpha.width, alpha.height]).toEqual([800, 705]);
    // Inside the original selection, well away from its outline and from the cut.
    const solid = (x: number, y: number) => {
      for (let dy = -6; dy <= 6; dy += 3) for (let dx = -6; dx <= 6; dx += 3) if (selection.data[(y + dy) * selection.width + (x + dx)]! < 255) return false;
      return true;
    };
    let leftN = 0;
    let leftOpaque = 0;
    let rightN = 0;
    let rightClear = 0;
    for (let y = 8; y < alpha.height - 8; y += 2) {
      for (let x = 8; x < alpha.width - 8; x += 2) {
        if (!solid(x, y)) continue;
        const a = alpha.data[y * alpha.width + x]!;
        if (x < CUT_X - 10) {
          leftN++;
          if (a >= 250) leftOpaque++;
        } else if (x > CUT_X + 10) {
          rightN++;
          if (a === 0) rightClear++;
        }
      }
    }
    expect(leftN).toBeGreaterThan(2000);
    expect(rightN).toBeGreaterThan(2000);
    expect(leftOpaque / leftN).toBeGreaterThan(0.99);
    expect(rightClear / rightN).toBe(1);
    await snap(page, 'ad-cutout-mask-03-ad');
  });
});
