/** Binary min-heap of (float key, int value) pairs on typed arrays: no objects per entry, grows by doubling. */
export class MinHeap {
  private keys: Float32Array;
  private vals: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity | 0);
    this.keys = new Float32Array(cap);
    this.vals = new Int32Array(cap);
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[parent]!;
      i = parent;
    }
    keys[i] = key;
    vals[i] = value;
  }

  /** Key of the smallest entry (undefined when empty). */
  peekKey(): number | undefined {
    return this.size > 0 ? this.keys[0] : undefined;
  }

  /** Removes the smallest entry and returns its value; -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0]!;
    const n = --this.size;
    if (n === 0) return top;
    const key = keys[n]!;
    const val = vals[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && keys[right]! < keys[child]!) child = right;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      vals[i] = vals[child]!;
      i = child;
    }
    keys[i] = key;
    vals[i] = val;
    return top;
  }

  private grow(): void {
    const keys = new Float32Array(this.keys.length * 2);
    keys.set(this.keys);
    const vals = new Int32Array(this.vals.length * 2);
    vals.set(this.vals);
    this.keys = keys;
    this.vals = vals;
  }
}
