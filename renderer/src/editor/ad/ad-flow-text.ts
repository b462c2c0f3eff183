import { DEFAULT_AD_FONT } from '../../../../preload/contract/ad-style';
import { adParts, newTextRecord, type TextRecord } from '../../document/ad-records';
import type { DocumentJson } from '../../document/types';
import type { Editor } from '../editor';
import { topKey } from './z-order';

/**
 * A new text layer for an ad of W×H: headline size (~7 % of the shorter side), wrapped and centred
 * across the top band with side margins, where ad copy usually sits above the product.
 */
export function headlineText(doc: Pick<DocumentJson, 'width' | 'height'>, text: string, z: string): TextRecord {
  const short = Math.min(doc.width, doc.height);
  const size = Math.max(12, Math.round(short * 0.07));
  const margin = Math.round(doc.width * 0.08);
  return newTextRecord({
    text,
    z,
    transform: { x: margin, y: Math.round(doc.height * 0.08), scaleX: 1, scaleY: 1, rotation: 0 },
    style: { font: { family: DEFAULT_AD_FONT, weight: 800, size }, color: '#111111', align: 'center', lineHeight: 1.2, letterSpacing: 0, width: doc.width - 2 * margin },
  });
}

/** "Add text": placeholder copy in the top band, on top of the other layers, selected (one step). */
export function addText(ed: Editor, placeholder: string): string | null {
  const store = ed.store();
  const doc = ed.document();
  if (!store || !doc || doc.kind !== 'ad') return null;
  const parts = adParts(doc);
  const record = headlineText(doc, placeholder, topKey(parts.layers, parts.background?.z ?? null));
  store.transact('ad.history.addText', (d) => d.put(record));
  ed.session.set({ selectedId: record.id });
  return record.id;
}
