import type { DocRecord, DocumentJson, DocumentMeta, Patch } from './types';

/**
 * Patch algebra: the only code that knows how a patch changes a document. History stores patches;
 * undo is `applyPatch(doc, invertPatch(p))`, a gesture is `composePatches` of its transactions.
 */

export function emptyPatch(): Patch {
  return { added: {}, updated: {}, removed: {} };
}

export function isEmptyPatch(p: Patch): boolean {
  return !p.meta && isEmptyObject(p.added) && isEmptyObject(p.updated) && isEmptyObject(p.removed);
}

export function invertPatch(p: Patch): Patch {
  const updated: Patch['updated'] = {};
  for (const [id, [from, to]] of Object.entries(p.updated)) updated[id] = [to, from];
  const inv: Patch = { added: { ...p.removed }, updated, removed: { ...p.added } };
  if (p.meta) inv.meta = [p.meta[1], p.meta[0]];
  return inv;
}

/** Apply a patch; returns a new document (records map copied, untouched records shared). */
export function applyPatch(doc: DocumentJson, p: Patch): DocumentJson {
  const records = { ...doc.records };
  for (const id of Object.keys(p.removed)) delete records[id];
  for (const [id, r] of Object.entries(p.added)) records[id] = r;
  for (const [id, [, to]] of Object.entries(p.updated)) records[id] = to;
  const meta = p.meta ? p.meta[1] : metaOf(doc);
  return { ...meta, records };
}

/** One patch with the effect of applying `first` then `second`. No-op round trips vanish. */
export function composePatches(first: Patch, second: Patch): Patch {
  const before = new Map<string, DocRecord | undefined>();
  const after = new Map<string, DocRecord | undefined>();
  const note = (p: Patch) => {
    const touch = (id: string, from: DocRecord | undefined, to: DocRecord | undefined) => {
      if (!before.has(id)) before.set(id, from);
      after.set(id, to);
    };
    for (const [id, r] of Object.entries(p.added)) touch(id, undefined, r);
    for (const [id, [from, to]] of Object.entries(p.updated)) touch(id, from, to);
    for (const [id, r] of Object.entries(p.removed)) touch(id, r, undefined);
  };
  note(first);
  note(second);

  const out = emptyPatch();
  for (const [id, from] of before) {
    const to = after.get(id);
    if (from === undefined && to !== undefined) out.added[id] = to;
    else if (from !== undefined && to === undefined) out.removed[id] = from;
    else if (from !== undefined && to !== undefined && !deepEqual(from, to)) out.updated[id] = [from, to];
  }
  const metaFrom = first.meta?.[0] ?? second.meta?.[0];
  const metaTo = second.meta?.[1] ?? first.meta?.[1];
  if (metaFrom && metaTo && !deepEqual(metaFrom, metaTo)) out.meta = [metaFrom, metaTo];
  return out;
}

export function metaOf(doc: DocumentJson): DocumentMeta {
  const { records: _records, ...meta } = doc;
  return meta;
}

/** Asset hashes any record in the patch references, on either side. */
export function addPatchAssets(p: Patch, into: Set<string>): void {
  for (const r of Object.values(p.added)) addRecordAssets(r, into);
  for (const r of Object.values(p.removed)) addRecordAssets(r, into);
  for (const [from, to] of Object.values(p.updated)) {
    addRecordAssets(from, into);
    addRecordAssets(to, into);
  }
}

export function addRecordAssets(r: DocRecord, into: Set<string>): void {
  if (r.type === 'mask') {
    if (r.props.asset) into.add(r.props.asset);
  } else if (r.type !== 'text') {
    into.add(r.props.asset);
    if (r.type === 'product' && r.props.source) into.add(r.props.source);
  }
}

/** Structural equality for JSON-like values (records, meta). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Freeze a JSON-like value and everything inside it (records are values: replace, never mutate). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function isEmptyObject(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
