import { DOCUMENT_VERSION, type AppError, type DocumentJson } from '../../../preload/contract/index.js';

/**
 * Refuse documents from a newer adstudio before schema validation: a newer format may not parse
 * with today's schema, and "update adstudio" is the helpful answer, not "invalid document".
 */
export function checkDocumentVersion(raw: unknown, newer: (version: number) => AppError): void {
  const version = raw && typeof raw === 'object' ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > DOCUMENT_VERSION) throw newer(version);
}

/** Which kind each referenced asset is stored as (an image record's pixels win over a mask). */
export function assetKinds(doc: DocumentJson): Map<string, 'image' | 'mask'> {
  const kinds = new Map<string, 'image' | 'mask'>();
  for (const r of Object.values(doc.records)) {
    if (r.type === 'text') continue;
    if (r.type === 'mask') {
      if (r.props.asset && !kinds.has(r.props.asset)) kinds.set(r.props.asset, 'mask');
    } else {
      kinds.set(r.props.asset, 'image');
      if (r.type === 'product' && r.props.source) kinds.set(r.props.source, 'image');
    }
  }
  return kinds;
}
