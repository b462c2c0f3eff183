import type { AssetInfo } from '../../../preload/contract/channels';
import { newDocument } from '../../../renderer/src/document/records';
import type { ImageRecord, MaskRecord } from '../../../renderer/src/document/records';
import type { DocumentJson } from '../../../renderer/src/document/types';

/** A valid-looking sha-256 hex string derived from a label. */
export function fakeHash(label: string | number): string {
  let h = 0x811c9dc5;
  const s = String(label);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

export function fakeAsset(label: string, width = 640, height = 480, kind: AssetInfo['kind'] = 'image'): AssetInfo {
  return { hash: fakeHash(label), kind, mime: 'image/png', width, height, bytes: 1234 };
}

export interface Fixture {
  doc: DocumentJson;
  image: ImageRecord;
  mask: MaskRecord;
}

export function fixtureDocument(): Fixture {
  const doc = newDocument({ title: 'Poster', asset: fakeAsset('photo'), name: 'photo.png', now: new Date('2024-05-01T00:00:00Z') });
  const records = Object.values(doc.records);
  const image = records.find((r): r is ImageRecord => r.type === 'image')!;
  const mask = records.find((r): r is MaskRecord => r.type === 'mask')!;
  return { doc, image, mask };
}
