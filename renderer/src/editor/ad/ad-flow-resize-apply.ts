import type { Editor } from '../editor';
import { checkAdSize, ownBox, resizeAd, type Size } from './ad-flow-resize';

/** Resize the open ad (one undo step); the view re-fits so the whole ad stays in sight. */
export function resizeOpenAd(ed: Editor, size: Size, measureText?: Parameters<typeof ownBox>[1]): boolean {
  const store = ed.store();
  const doc = ed.document();
  if (!store || !doc || doc.kind !== 'ad' || checkAdSize(size.width, size.height)) return false;
  if (doc.width === size.width && doc.height === size.height) return false;
  store.transact('ad.history.canvasSize', (d) => resizeAd(d, size, (r) => ownBox(r, measureText)));
  ed.fit();
  return true;
}
