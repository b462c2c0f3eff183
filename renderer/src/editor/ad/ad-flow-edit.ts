import type { AdLayerRecord, ProductRecord, TextRecord } from '../../document/ad-records';
import type { DocumentStore, MarkId } from '../../document/types';

/** One undoable change to an ad layer's record (a click, a typed value, a colour pick). */
export function editLayer<R extends AdLayerRecord>(store: DocumentStore, label: string, id: string, fn: (r: R) => R): void {
  const r = store.document().records[id];
  if (r?.type !== 'product' && r?.type !== 'text') return;
  store.transact(label, (d) => d.update<R>(id, fn));
}

export const editProduct = (store: DocumentStore, label: string, id: string, fn: (p: ProductRecord['props']) => ProductRecord['props']) =>
  editLayer<ProductRecord>(store, label, id, (r) => ({ ...r, props: fn(r.props) }));

export const editText = (store: DocumentStore, label: string, id: string, fn: (p: TextRecord['props']) => TextRecord['props']) =>
  editLayer<TextRecord>(store, label, id, (r) => ({ ...r, props: fn(r.props) }));

/**
 * A continuous control (slider drag, colour drag) as ONE undo step: begin() marks on pointer-down,
 * every change while dragging is a transaction merged into the mark, end() squashes on release.
 * Changes without a begin (keyboard arrows, typed numbers) are steps of their own.
 */
export class EditGesture {
  private mark: MarkId | null = null;

  constructor(
    private readonly store: () => DocumentStore | null,
    private readonly label: string,
  ) {}

  begin(): void {
    const store = this.store();
    if (!store || this.mark) return;
    this.mark = store.mark(this.label);
  }

  active(): boolean {
    return this.mark !== null;
  }

  end(): void {
    const mark = this.mark;
    this.mark = null;
    if (mark) this.store()?.squash(mark);
  }

  /** Escape mid-drag: back to how it was, nothing in history. */
  cancel(): void {
    const mark = this.mark;
    this.mark = null;
    if (mark) this.store()?.bail(mark);
  }
}
