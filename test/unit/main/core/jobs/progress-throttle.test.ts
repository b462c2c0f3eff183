import { describe, expect, it } from 'vitest';
import { createProgressThrottle } from '../../../../../main/core/jobs/progress-throttle.js';

describe('createProgressThrottle', () => {
  it('emits rising values at least 50 ms apart and always ends with 1.0', () => {
    let now = 0;
    const out: [number, number][] = [];
    const t = createProgressThrottle((p) => out.push([now, p]), 50, () => now);
    for (let i = 0; i <= 100; i++) {
      now = i * 7;
      t.update(i / 100);
    }
    t.update(0.2); // going back is ignored
    t.finish();
    const values = out.map(([, p]) => p);
    expect(values.at(-1)).toBe(1);
    for (let i = 1; i < out.length; i++) {
      expect(values[i]!).toBeGreaterThan(values[i - 1]!);
      if (i < out.length - 1) expect(out[i]![0] - out[i - 1]![0]).toBeGreaterThanOrEqual(50);
    }
    expect(out.length).toBeLessThan(20);
  });

  it('keeps 1.0 for finish: an engine reporting 100 % does not end the bar early', () => {
    const out: number[] = [];
    const t = createProgressThrottle((p) => out.push(p), 0, () => 0);
    t.update(1);
    t.update(Number.NaN);
    expect(out).toEqual([0.999]);
    t.finish();
    t.finish();
    expect(out).toEqual([0.999, 1]);
  });
});
