import { sharedMaskWorker } from '../mask/mask-worker-client';
import { invert } from '../mask/morphology';
import type { AssetInfo } from '../../../preload/contract/channels';
import type { Editor } from './editor';
import { deliver } from './export-io';
import { UiError, unwrap } from './errors';

export const MAX_MASK_RADIUS = 200;

function radiusOf(px: number): number {
  return Math.max(1, Math.min(MAX_MASK_RADIUS, Math.round(px)));
}

/** Grow/shrink/feather run in the mask worker: a 16 MP mask would otherwise freeze the UI. */
export function growMask(ed: Editor, px: number): Promise<void> {
  return ed.mask.transform('history.grow', (m, w, h) => sharedMaskWorker().grow(m, w, h, radiusOf(px)));
}

export function shrinkMask(ed: Editor, px: number): Promise<void> {
  return ed.mask.transform('history.shrink', (m, w, h) => sharedMaskWorker().shrink(m, w, h, radiusOf(px)));
}

export function featherMask(ed: Editor, px: number): Promise<void> {
  return ed.mask.transform('history.feather', (m, w, h) => sharedMaskWorker().feather(m, w, h, radiusOf(px)));
}

export function invertMask(ed: Editor): Promise<void> {
  return ed.mask.transform('history.invert', (m) => invert(m));
}

export function clearMask(ed: Editor): Promise<void> {
  return ed.mask.setAsset('history.clear', null);
}

/** Import: native dialog (Electron) or the hidden mask file input (browser). */
export async function pickMask(ed: Editor): Promise<void> {
  if (ed.platform.mode !== 'electron') {
    ed.ui.pickFile('mask');
    return;
  }
  await ed.attempt('error.maskFailed', async () => {
    const picked = unwrap(await ed.api.openImageDialog({ kind: 'mask' }));
    if (picked) applyImportedMask(ed, picked.asset);
  });
}

export async function importMaskFile(ed: Editor, file: File): Promise<void> {
  await ed.attempt('error.maskFailed', async () => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const asset = await ed.assets.uploadBytes('mask', bytes, file.name);
    applyImportedMask(ed, asset);
  });
}

function applyImportedMask(ed: Editor, asset: AssetInfo): void {
  const img = ed.image();
  if (!img) return;
  const { width, height } = img.props;
  if (asset.width !== width || asset.height !== height) {
    ed.notify('error', 'mask.sizeMismatch', { mw: asset.width, mh: asset.height, iw: width, ih: height });
    return;
  }
  void ed.mask.setAsset('history.importMask', asset.hash).then(() => ed.notify('success', 'mask.imported'));
}

export async function exportMask(ed: Editor): Promise<void> {
  await ed.attempt('error.maskFailed', async () => {
    await ed.mask.idle();
    await ed.waitForUploads();
    const mask = ed.maskRecord();
    if (!mask?.props.asset) throw new UiError('not-found', 'The mask is empty.');
    const name = `${ed.displayName() || 'mask'}-mask`;
    const written = unwrap(await ed.api.exportMask({ mask: mask.props.asset, name }));
    if (!written) return;
    deliver(ed, written, `${name}.png`);
    ed.notify('success', 'mask.exported', { path: written.path.split(/[\\/]/).pop() ?? written.path });
  });
}
