import { DEFAULT_AD_FONT } from '../../../../preload/contract/ad-style';
import { adParts, newTextRecord, type TextRecord } from '../../document/ad-records';
import type { DocumentJson } from '../../document/types';
import type { Editor } from '../editor';
import { copyColorOver, DARK_COPY } from './text-contrast';
import { topKey } from './z-order';

/**
 * A new text layer for an ad of W×H: headline size (~7 % of the shorter side), wrapped and centred
 * across the top band with side margins, where ad copy usually sits above the product.
 */
export function headlineText(doc: Pick<DocumentJson, 'width' | 'height'>, text: string, z: string, color = DARK_COPY): TextRecord {
  const short = Math.min(doc.width, doc.height);
  const size = Math.max(12, Math.round(short * 0.07));
  const margin = Math.round(doc.width * 0.08);
  return newTextRecord({
    text,
    z,
    transform: { x: margin, y: Math.round(doc.height * 0.08), scaleX: 1, scaleY: 1, rotation: 0 },
    style: { font: { family: DEFAULT_AD_FONT, weight: 800, size }, color, align: 'center', lineHeight: 1.2, letterSpacing: 0, width: doc.width - 2 * margin },
  });
}

/** "Add text": placeholder copy in the top band, on top of the other layers, selected (one step). */
export function addText(ed: Editor, placeholder: string): string | null {
  const store = ed.store();
  const doc = ed.document();
  if (!store || !doc || doc.kind !== 'ad') return null;
  const parts = adParts(doc);
  const z = topKey(parts.layers, parts.background?.z ?? null);
  let record = headlineText(doc, placeholder, z);
  // Copy must read on its backdrop: white over a dark band, dark over a light one.
  const image = parts.background ? ed.assets.peekImage(parts.background.props.asset) : undefined;
  if (image && parts.background) {
    const { x, y } = record.transform;
    const band = { x, y, width: record.props.width ?? doc.width, height: record.props.font.size * record.props.lineHeight };
    const color = copyColorOver(image, parts.background, doc.width, doc.height, band);
    if (color) record = headlineText(doc, placeholder, z, color);
  }
  store.transact('ad.history.addText', (d) => d.put(record));
  ed.session.set({ selectedId: record.id });
  return record.id;
}
