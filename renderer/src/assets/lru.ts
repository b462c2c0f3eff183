/**
 * A byte-bounded LRU of decoded assets. Pinned keys (what the document and the screen need) are
 * never evicted, so the budget is a target: it can be exceeded only by pinned entries.
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    private maxBytes: number,
    private readonly pinned: () => ReadonlySet<string>,
    private readonly onEvict: (key: string, value: V) => void = () => {},
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Re-insert: Map iteration order is insertion order, so the front is least recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
      if (old.value !== value) this.onEvict(key, old.value);
    }
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    this.trim();
  }

  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.total -= e.bytes;
    this.onEvict(key, e.value);
    return true;
  }

  /** Evict least recently used, unpinned entries until within budget. */
  trim(): void {
    if (this.total <= this.maxBytes) return;
    const pinned = this.pinned(); // once per trim: computing it may walk the history
    for (const [key, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
      if (pinned.has(key)) continue;
      this.entries.delete(key);
      this.total -= e.bytes;
      this.onEvict(key, e.value);
    }
  }

  setMaxBytes(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.trim();
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}
