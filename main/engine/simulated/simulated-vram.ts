/**
 * The simulated card's memory: what resident models take, plus memory an unload released that the
 * "allocator" has not handed back yet (it shows as used for `lagMs`, like a CUDA caching allocator
 * that frees late). Tracks the peak, so tests and the benchmark can prove the budget held.
 */
export class SimulatedVram {
  private readonly resident = new Map<string, number>();
  private pendingFrees: Array<{ mb: number; at: number }> = [];
  private peak = 0;

  constructor(
    readonly totalMb: number,
    private readonly lagMs: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  usedMb(): number {
    const t = this.now();
    this.pendingFrees = this.pendingFrees.filter((f) => f.at > t);
    let used = 0;
    for (const mb of this.resident.values()) used += mb;
    for (const f of this.pendingFrees) used += f.mb;
    return used;
  }

  peakMb(): number {
    return this.peak;
  }

  has(model: string): boolean {
    return this.resident.has(model);
  }

  /** False (nothing allocated) when it would not fit on the card. */
  allocate(model: string, mb: number): boolean {
    if (this.usedMb() + mb > this.totalMb) return false;
    this.resident.set(model, mb);
    this.peak = Math.max(this.peak, this.usedMb());
    return true;
  }

  /** Unload: the memory shows as used a little longer. */
  release(model: string): void {
    const mb = this.resident.get(model);
    if (mb === undefined) return;
    this.resident.delete(model);
    const lag = this.lagMs();
    if (lag > 0) this.pendingFrees.push({ mb, at: this.now() + lag });
  }

  /** A load that was stopped half-way: its memory is dropped at once. */
  discard(model: string): void {
    this.resident.delete(model);
  }

  /** The process died: the driver takes everything back at once. */
  releaseAllNow(): void {
    this.resident.clear();
    this.pendingFrees = [];
  }
}
