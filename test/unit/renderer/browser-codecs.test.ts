import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBrowserCodecs } from '../../../renderer/src/assets/browser-codecs';
import { createMaskWorkerClient } from '../../../renderer/src/mask/mask-worker-client';
import { encodeGrayPng } from '../../../renderer/src/mask/png-gray';
import { firstDifference, textLikeMask } from './mask-fixtures';

/** The fetch side of the browser codecs (createImageBitmap paths need Chromium: see the e2e tests). */
describe('browser codecs (fetch + our PNG decoder)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('loads a mask PNG from its URL through the mask worker client', async () => {
    const mask = textLikeMask(300, 200, 8);
    const png = encodeGrayPng(mask, 300, 200);
    const fetchMock = vi.fn(async () => new Response(png, { status: 200, headers: { 'content-type': 'image/png' } }));
    vi.stubGlobal('fetch', fetchMock);
    const codecs = createBrowserCodecs(createMaskWorkerClient());
    const decoded = await codecs.loadMask('/assets/abc');
    expect(fetchMock).toHaveBeenCalledWith('/assets/abc');
    expect(decoded).toMatchObject({ width: 300, height: 200 });
    expect(firstDifference(decoded.data, mask)).toBe(-1);
    const encoded = await codecs.encodeMask(mask.slice(), 300, 200);
    expect(encoded.png[1]).toBe(0x50); // "PNG"
    expect(firstDifference(encoded.data, mask)).toBe(-1); // the pixels come back intact
  });

  it('maps HTTP failures to error codes a person can act on', async () => {
    const codecs = createBrowserCodecs(createMaskWorkerClient());
    vi.stubGlobal('fetch', async () => new Response('missing', { status: 404 }));
    await expect(codecs.loadMask('/assets/gone')).rejects.toMatchObject({ code: 'not-found', message: 'Could not load /assets/gone (HTTP 404)' });
    vi.stubGlobal('fetch', async () => new Response('no', { status: 401 }));
    await expect(codecs.loadImage('/assets/x')).rejects.toMatchObject({ code: 'unauthorized' });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(codecs.loadMask('/assets/x')).rejects.toMatchObject({ code: 'io', message: 'Could not load /assets/x (Failed to fetch)' });
  });

  it('a corrupt mask PNG is a bad-image error, not a silent empty mask', async () => {
    const png = encodeGrayPng(textLikeMask(64, 64, 2), 64, 64);
    vi.stubGlobal('fetch', async () => new Response(png.subarray(0, png.length - 30)));
    const codecs = createBrowserCodecs(createMaskWorkerClient());
    await expect(codecs.loadMask('/assets/cut')).rejects.toMatchObject({ code: 'bad-image' });
  });
});
