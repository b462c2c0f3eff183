import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseEvictions } from '../../../../../main/core/scheduler/eviction.js';
import { planNext } from '../../../../../main/core/scheduler/planner.js';
import type { PlannerInput, PlannerStage, SchedulingPolicy } from '../../../../../main/core/scheduler/planner-types.js';
import { POLICIES } from '../../../../../main/core/scheduler/policies.js';

const FOOTPRINT: Record<string, number> = { flux: 11_000, sdxl: 10_000, lama: 2_000, ocr: 1_000, cut: 3_000, vlm: 10_000 };
const fp = (m: string) => FOOTPRINT[m] ?? 0;
const planner: SchedulingPolicy = POLICIES.planner;

function stage(partial: Partial<PlannerStage> & Pick<PlannerStage, 'jobId' | 'stageId'>): PlannerStage {
  return { model: null, lane: 'cpu', priority: 'batch', arrival: 0, index: 0, ready: true, depth: 0, waited: 0, ...partial };
}
const gpu = (jobId: string, stageId: string, model: string, extra: Partial<PlannerStage> = {}) => stage({ jobId, stageId, model, lane: 'gpu', ...extra });

function input(stages: PlannerStage[], resident: string[], extra: Partial<PlannerInput> = {}): PlannerInput {
  return { stages, resident, footprintMb: fp, budgetMb: 22_000, free: { gpu: true, cpu: true }, policy: planner, ...extra };
}

describe('planner (examples)', () => {
  it('batches: every ready stage on a resident model runs before anything is loaded', () => {
    const stages = [gpu('j1', 'bg', 'flux', { arrival: 0 }), gpu('j2', 'erase', 'lama', { arrival: 1 }), gpu('j3', 'erase', 'lama', { arrival: 2 })];
    const plan = planNext(input(stages, ['lama']));
    expect(plan.gpu).toEqual({ kind: 'run', stage: { jobId: 'j2', stageId: 'erase' }, model: 'lama', load: false, evict: [] });
  });

  it('loads for the oldest stage when nothing resident has work, keeping what fits warm', () => {
    const stages = [gpu('j1', 'bg', 'flux', { arrival: 0 }), gpu('j2', 'cut', 'cut', { arrival: 1 })];
    expect(planNext(input(stages, ['lama', 'ocr'])).gpu).toMatchObject({ model: 'flux', load: true, evict: [] });
  });

  it('evicts what no stage needs before what is needed, and the later-needed before the sooner', () => {
    const stages = [
      gpu('j1', 'bg', 'flux', { arrival: 0 }),
      gpu('j2', 'refine', 'sdxl', { arrival: 1, ready: false, depth: 1 }),
      gpu('j3', 'erase', 'lama', { arrival: 2, ready: false, depth: 2 }),
    ];
    // 10 + 2 + 1 resident, flux needs 11 of 22: one unload of 10 GB is enough — the idle vlm goes.
    expect(planNext(input(stages, ['vlm', 'lama', 'ocr'])).gpu).toMatchObject({ model: 'flux', evict: ['vlm'] });
    // Nothing idle but ocr (1 GB): then the model needed latest (lama, depth 2) before sdxl (depth 1).
    expect(chooseEvictions('flux', ['sdxl', 'lama', 'ocr'], fp, 21_000, stages)).toEqual(['ocr', 'lama']);
  });

  it('interactive work goes first at the next boundary, even if it needs a load', () => {
    const stages = [gpu('b1', 'bg', 'flux', { arrival: 0 }), gpu('i1', 'detect', 'ocr', { arrival: 5, priority: 'interactive' })];
    expect(planNext(input(stages, ['flux'])).gpu).toMatchObject({ stage: { jobId: 'i1' }, model: 'ocr', load: true });
  });

  it('a batch stage passed over too often goes ahead of interactive work', () => {
    const stages = [gpu('b1', 'bg', 'flux', { arrival: 0, waited: 32 }), gpu('i1', 'detect', 'ocr', { arrival: 5, priority: 'interactive' })];
    expect(planNext(input(stages, ['ocr'])).gpu).toMatchObject({ stage: { jobId: 'b1' } });
  });

  it('runs a CPU stage next to the GPU stage, and a model that can never fit fails with a reason', () => {
    const stages = [gpu('j1', 'bg', 'flux'), stage({ jobId: 'j2', stageId: 'compose', arrival: 1 })];
    const plan = planNext(input(stages, [], { budgetMb: 8_000 }));
    expect(plan.cpu).toEqual({ jobId: 'j2', stageId: 'compose' });
    expect(plan.gpu?.kind).toBe('fail');
    expect(plan.gpu?.kind === 'fail' && plan.gpu.reason).toMatch(/needs 10\.7 GB of VRAM, more than the budget of 7\.8 GB/);
  });

  it('the seed policy runs one job at a time, one stage at a time, in order', () => {
    const stages = [stage({ jobId: 'j2', stageId: 'compose', arrival: 1 }), gpu('j1', 'bg', 'flux', { arrival: 0, index: 1 }), gpu('j1', 'cut', 'cut', { arrival: 0, index: 0 })];
    const plan = planNext(input(stages, ['flux'], { policy: POLICIES.seed }));
    expect(plan).toEqual({ gpu: { kind: 'run', stage: { jobId: 'j1', stageId: 'cut' }, model: 'cut', load: true, evict: [] }, cpu: null });
    expect(planNext(input(stages, [], { policy: POLICIES.seed, free: { gpu: false, cpu: false } }))).toEqual({ gpu: null, cpu: null });
  });
});

const MODELS = Object.keys(FOOTPRINT);
const arbStage = fc.record({
  job: fc.integer({ min: 0, max: 5 }),
  index: fc.integer({ min: 0, max: 3 }),
  model: fc.option(fc.constantFrom(...MODELS), { nil: null }),
  priority: fc.constantFrom('interactive' as const, 'batch' as const),
  ready: fc.boolean(),
  depth: fc.integer({ min: 0, max: 3 }),
  waited: fc.integer({ min: 0, max: 40 }),
});
const arbInput = fc.record({
  raw: fc.array(arbStage, { maxLength: 14 }),
  resident: fc.subarray(MODELS),
  budgetMb: fc.integer({ min: 9_000, max: 40_000 }),
  policy: fc.constantFrom(POLICIES.planner, POLICIES['unload-each-stage'], POLICIES.seed),
});

type RawInput = typeof arbInput extends fc.Arbitrary<infer T> ? T : never;

function build(raw: RawInput): PlannerInput {
  const seen = new Set<string>();
  const stages: PlannerStage[] = [];
  for (const s of raw.raw) {
    const key = `${s.job}/${s.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    stages.push({
      jobId: `j${s.job}`,
      stageId: `s${s.index}`,
      model: s.model,
      lane: s.model === null ? 'cpu' : 'gpu',
      priority: s.priority,
      arrival: s.job,
      index: s.index,
      ready: s.ready,
      depth: s.ready ? 0 : Math.max(1, s.depth),
      waited: s.ready ? s.waited : 0,
    });
  }
  // The runtime never holds more than the budget; drop residents from the end until that is so.
  const resident = [...raw.resident];
  while (resident.reduce((a, m) => a + fp(m), 0) > raw.budgetMb) resident.pop();
  return input(stages, resident, { budgetMb: raw.budgetMb, policy: raw.policy });
}

describe('planner (properties)', () => {
  it('never plans past the budget, evicts only resident models and only as far as needed', () => {
    fc.assert(
      fc.property(arbInput, (raw) => {
        const inp = build(raw);
        const action = planNext(inp).gpu;
        if (!action || action.kind === 'fail') {
          if (action?.kind === 'fail') expect(fp(action.model)).toBeGreaterThan(inp.budgetMb);
          return;
        }
        const chosen = inp.stages.find((s) => s.jobId === action.stage.jobId && s.stageId === action.stage.stageId);
        expect(chosen?.ready).toBe(true);
        expect(chosen?.lane).toBe('gpu');
        expect(action.load).toBe(!inp.resident.includes(action.model));
        for (const m of action.evict) expect(inp.resident).toContain(m);
        const after = inp.resident.filter((m) => !action.evict.includes(m));
        const used = after.reduce((a, m) => a + fp(m), 0) + (action.load ? fp(action.model) : 0);
        expect(used).toBeLessThanOrEqual(inp.budgetMb);
        // Minimal: putting back the last evicted model would not fit.
        const last = action.evict.at(-1);
        if (last) expect(used + fp(last)).toBeGreaterThan(inp.budgetMb);
      }),
      { numRuns: 400 },
    );
  });

  it('evicts a model some stage still needs only after every model no stage needs', () => {
    fc.assert(
      fc.property(arbInput, (raw) => {
        const inp = build(raw);
        const action = planNext(inp).gpu;
        if (!action || action.kind !== 'run') return;
        const needed = (m: string) => inp.stages.some((s) => s.model === m);
        if (action.evict.some(needed)) {
          const idle = inp.resident.filter((m) => m !== action.model && !needed(m));
          for (const m of idle) expect(action.evict).toContain(m);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('interactive ahead of batch, resident before a load (planner policy, nothing starving)', () => {
    fc.assert(
      fc.property(arbInput, (raw) => {
        const inp = build({ ...raw, policy: POLICIES.planner });
        const ready = inp.stages.filter((s) => s.ready && s.lane === 'gpu');
        if (ready.some((s) => s.priority === 'batch' && s.waited >= planner.starvationBoundaries)) return;
        const action = planNext(inp).gpu;
        if (ready.length === 0) {
          expect(action).toBeNull();
          return;
        }
        const chosen = inp.stages.find((s) => action && s.jobId === action.stage.jobId && s.stageId === action.stage.stageId) as PlannerStage;
        const pool = ready.some((s) => s.priority === 'interactive') ? ready.filter((s) => s.priority === 'interactive') : ready;
        expect(chosen.priority).toBe(pool[0]?.priority === 'interactive' ? 'interactive' : chosen.priority);
        if (pool.some((s) => inp.resident.includes(s.model as string))) expect(inp.resident).toContain(chosen.model);
      }),
      { numRuns: 400 },
    );
  });
});
