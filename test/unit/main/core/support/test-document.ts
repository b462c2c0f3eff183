import { DOCUMENT_VERSION, type DocumentJson, type ImageRecord, type MaskRecord } from '../../../../../preload/contract/index.js';

export function imageRecord(id: string, asset: string, width: number, height: number, over: Partial<ImageRecord> = {}): ImageRecord {
  return {
    id,
    name: `Layer ${id}`,
    z: 'a0',
    transform: { x: 0, y: 0, scaleX: 1, scaleY: 1, rotation: 0 },
    visible: true,
    locked: false,
    opacity: 1,
    type: 'image',
    props: { asset, width, height, madeBy: 'original' },
    ...over,
  };
}

export function maskRecord(id: string, target: string, asset: string | null, width: number, height: number): MaskRecord {
  return {
    id,
    name: 'Mask',
    z: 'z0',
    transform: { x: 0, y: 0, scaleX: 1, scaleY: 1, rotation: 0 },
    visible: true,
    locked: false,
    opacity: 1,
    type: 'mask',
    props: { target, asset, width, height },
  };
}

export function makeDocument(width: number, height: number, records: (ImageRecord | MaskRecord)[], over: Partial<DocumentJson> = {}): DocumentJson {
  return {
    format: 'adstudio',
    version: DOCUMENT_VERSION,
    id: 'doc-1',
    title: '가을 세일 광고',
    width,
    height,
    records: Object.fromEntries(records.map((r) => [r.id, r])),
    createdAt: '2025-01-01T00:00:00.000Z',
    modifiedAt: '2025-01-02T00:00:00.000Z',
    ...over,
  };
}
