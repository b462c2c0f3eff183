import { compareKeys } from './fractional-index';
import { deepEqual, deepFreeze, emptyPatch, metaOf } from './patch';
import type { DocRecord, DocumentJson, DocumentMeta, Draft, Patch } from './types';

/**
 * The mutable view a transaction callback edits. It records only *which* ids changed; the patch is
 * the difference between the base document and the draft's final state, so put-then-remove or
 * set-back-to-the-same-value leaves nothing behind.
 */
export class TransactionDraft implements Draft {
  private readonly changed = new Map<string, DocRecord | undefined>();
  private nextMeta: DocumentMeta | null = null;
  private closed = false;

  constructor(
    private readonly base: DocumentJson,
    private readonly freeze: boolean,
  ) {}

  get(id: string): DocRecord | undefined {
    this.assertOpen();
    return this.changed.has(id) ? this.changed.get(id) : this.base.records[id];
  }

  all(): DocRecord[] {
    this.assertOpen();
    const ids = new Set([...Object.keys(this.base.records), ...this.changed.keys()]);
    const out: DocRecord[] = [];
    for (const id of ids) {
      const r = this.get(id);
      if (r) out.push(r);
    }
    return sortByZ(out);
  }

  put(record: DocRecord): void {
    this.assertOpen();
    if (typeof record?.id !== 'string' || record.id.length === 0) throw new Error('Draft.put: record has no id');
    this.changed.set(record.id, this.own(record));
  }

  update<R extends DocRecord>(id: string, fn: (r: R) => R): void {
    this.assertOpen();
    const current = this.get(id);
    if (!current) throw new Error(`Draft.update: no record "${id}"`);
    const next = fn(current as R);
    if (next.id !== id) throw new Error(`Draft.update: record "${id}" cannot change its id to "${next.id}"`);
    if (next.type !== current.type) throw new Error(`Draft.update: record "${id}" cannot change its type`);
    this.changed.set(id, this.own(next));
  }

  remove(id: string): void {
    this.assertOpen();
    if (this.get(id)) this.changed.set(id, undefined);
  }

  meta(): DocumentMeta {
    this.assertOpen();
    return this.nextMeta ?? metaOf(this.base);
  }

  setMeta(fn: (m: DocumentMeta) => DocumentMeta): void {
    this.assertOpen();
    // Records are never meta, even if a caller spreads a whole document into the result.
    const { records: _records, ...next } = fn(this.meta()) as DocumentMeta & { records?: unknown };
    this.nextMeta = this.own(next);
  }

  /** Close the draft and return what it changed relative to the base document. */
  finish(): Patch {
    this.closed = true;
    const patch = emptyPatch();
    for (const [id, to] of this.changed) {
      const from = this.base.records[id];
      if (!from && to) patch.added[id] = to;
      else if (from && !to) patch.removed[id] = from;
      else if (from && to && !deepEqual(from, to)) patch.updated[id] = [from, to];
    }
    if (this.nextMeta) {
      const from = metaOf(this.base);
      if (!deepEqual(from, this.nextMeta)) patch.meta = [from, this.nextMeta];
    }
    return patch;
  }

  discard(): void {
    this.closed = true;
  }

  private own<T>(value: T): T {
    return this.freeze ? deepFreeze(value) : value;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('This draft belongs to a finished transaction; do not keep it');
  }
}

/** Bottom first; ties (should not happen) broken by id so the order is stable. */
export function sortByZ(records: DocRecord[]): DocRecord[] {
  return records.sort((a, b) => compareKeys(a.z, b.z) || compareKeys(a.id, b.id));
}
