import { describe, expect, it } from 'vitest';
import { estimateEtaSeconds, stageWeights, weightedProgress } from '../../../../../main/core/scheduler/job-progress.js';
import { ModelEstimates } from '../../../../../main/core/scheduler/model-estimates.js';
import type { JobRecord, StageRecord } from '../../../../../main/core/scheduler/scheduler-types.js';
import { eraseTextJob } from '../../../../../main/core/scheduler/job-templates.js';

function record(stages: Array<Partial<StageRecord>>): JobRecord {
  const spec = eraseTextJob({ image: '/in.png', workDir: '/out' });
  return {
    id: 'j',
    spec,
    status: 'running',
    progress: 0,
    etaSeconds: null,
    stages: spec.stages.map((s, i) => ({ id: s.id, status: 'waiting', step: 0, totalSteps: 0, attempts: 0, startedAt: null, finishedAt: null, outputs: {}, madeBy: null, error: null, ...stages[i] })),
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    error: null,
    simulated: false,
  };
}

describe('job progress and ETA (catalog figures)', () => {
  const estimates = new ModelEstimates();
  const weights = stageWeights(eraseTextJob({ image: '/in.png', workDir: '/out' }), estimates);

  it('weights stages by expected duration: detect + erase are a few per cent of an erase-and-refine job', () => {
    // ppocr-det 0.5 s, lama 2 s, flux-dev refine 53.2 s (seed L4 figures).
    expect(weights.ms).toEqual([500, 2_000, 53_200]);
    const p = weightedProgress(record([{ status: 'done' }, { status: 'done' }]), weights);
    expect(p).toBeCloseTo(2_500 / 55_700, 5);
    const half = weightedProgress(record([{ status: 'done' }, { status: 'done' }, { status: 'running', step: 5, totalSteps: 10 }]), weights);
    expect(half).toBeCloseTo((2_500 + 26_600) / 55_700, 5);
  });

  it('ETA: remaining runs plus loads of models that are not resident; extrapolates a running stage from its pace', () => {
    const cold = estimateEtaSeconds(record([]), weights, estimates, new Set(), 0);
    // 55.7 s of runs + loads of ppocr-det (2 s), lama (3 s) and FLUX (128 s).
    expect(cold).toBeCloseTo(55.7 + 2 + 3 + 128, 1);
    const warm = estimateEtaSeconds(record([]), weights, estimates, new Set(['ppocr-det', 'lama', 'flux-dev']), 0);
    expect(warm).toBeCloseTo(55.7, 1);
    // Refine has done 2 of 10 steps in 20 s (slower than the catalog): 80 s to go.
    const running = record([{ status: 'done' }, { status: 'done' }, { status: 'running', step: 2, totalSteps: 10, startedAt: 1_000 }]);
    expect(estimateEtaSeconds(running, weights, estimates, new Set(['flux-dev']), 21_000)).toBeCloseTo(80, 1);
  });

  it('a measured run replaces the catalog figure, then moves as a moving average', () => {
    const e = new ModelEstimates({ alpha: 0.5 });
    e.observeRun('flux-dev', 'refine', 40_000);
    expect(e.expectedRunMs('flux-dev', 'refine')).toBe(40_000);
    e.observeRun('flux-dev', 'refine', 60_000);
    expect(e.expectedRunMs('flux-dev', 'refine')).toBe(50_000);
    expect(e.expectedRunMs('unknown-model', 'refine')).toBeNull();
    e.observePeak('lama', 3_000);
    e.observePeak('lama', 2_500);
    expect(e.footprintMb('lama')).toBe(3_000);
  });
});
