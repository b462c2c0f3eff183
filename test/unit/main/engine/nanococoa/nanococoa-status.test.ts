import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOf } from '../../../../../main/engine/nanococoa/nanococoa-engine.js';
import { planRun } from '../../../../../main/engine/nanococoa/nanococoa-request.js';
import { describeStatus, MonotonicProgress, normalizeState, pipelineStep, readStatus, subStepFraction } from '../../../../../main/engine/nanococoa/nanococoa-status.js';
import type { AppError } from '../../../../../preload/contract/index.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-nano-unit-'));
  await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).webp().toFile(join(dir, 'product.webp'));
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } }).png().toFile(join(dir, 'bg.png'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nanoCocoa status quirks', () => {
  it('treats "error" and "failed" alike, and knows the other statuses', () => {
    expect(['pending', 'running', 'completed', 'error', 'failed', 'stopped', 'weird', 42].map(normalizeState)).toEqual([
      'pending',
      'running',
      'completed',
      'failed',
      'failed',
      'stopped',
      'unknown',
      'unknown',
    ]);
  });

  it('drops a negative or missing ETA, keeps a positive one', () => {
    expect(readStatus({ status: 'running', eta_seconds: -37 }).etaSeconds).toBeNull();
    expect(readStatus({ status: 'running' }).etaSeconds).toBeNull();
    expect(readStatus({ status: 'running', eta_seconds: 12.4 }).etaSeconds).toBe(12);
    expect(describeStatus(readStatus({ status: 'running', current_step: 'step1_background', sub_step: 'flux_bg_generation (3/25.5)', eta_seconds: -4 }))).toBe(
      'nanoCocoa step 1: background — flux_bg_generation (3/25.5)',
    );
    expect(describeStatus(readStatus({ status: 'running', current_step: 'step2_llm_text', eta_seconds: 150 }))).toBe('nanoCocoa step 2: text, about 3 min left (server estimate)');
  });

  it('reads steps and sub-step counters, including the legacy and LLM step names', () => {
    expect(['init', 'step1_background', 'step2_llm_text', 'step2_text', 'step3_composite', 'something'].map(pipelineStep)).toEqual([0, 1, 2, 2, 3, null]);
    expect(subStepFraction('flux_bg_generation (12/25.5)')).toBeCloseTo(12 / 25.5);
    expect(subStepFraction('segmentation')).toBeNull();
    expect(subStepFraction('x (30/25)')).toBe(1);
  });

  it('derives monotonic progress whatever progress_percent does', () => {
    const p = new MonotonicProgress([2, 3]);
    const seen = [
      { status: 'pending', current_step: 'init', progress_percent: 0 },
      { status: 'running', current_step: 'step2_text', sub_step: 'sdxl_text_generation (4/8.5)', progress_percent: 60 },
      { status: 'running', current_step: 'step2_text', sub_step: 'sdxl_text_generation (2/8.5)', progress_percent: 30 }, // backwards
      { status: 'running', current_step: 'step3_composite', sub_step: 'intelligent_composite', progress_percent: 10 },
      { status: 'running', current_step: 'step3_composite', sub_step: 'intelligent_composite (8/8)', progress_percent: 5 },
      { status: 'completed', current_step: 'step3_composite', progress_percent: 100 },
    ].map((s) => p.update(readStatus(s)));
    expect(seen[0]).toBe(0);
    expect(seen[1]).toBeCloseTo(4 / 8.5 / 2);
    expect(seen[2]).toBe(seen[1]);
    expect(seen[3]).toBe(0.5);
    expect(seen[4]).toBeCloseTo(0.99);
    expect(seen[5]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });

  it('turns gpu_info into a memory report, or null without a GPU', () => {
    expect(memoryOf({ gpu_info: [{ vram_used_gb: 11.5, vram_total_gb: 22.5 }] })).toEqual({ device: 'gpu', totalMb: 23040, usedMb: 11776, budgetMb: 23040, simulated: false });
    expect(memoryOf({ gpu_info: [] })).toBeNull();
    expect(memoryOf(undefined)).toBeNull();
    expect(memoryOf({ gpu_info: [{ vram_used_gb: 'n/a' }] })).toBeNull();
  });
});

describe('nanoCocoa request mapping', () => {
  it('a background is step 1 only, without text; a WebP product goes as PNG', async () => {
    const plan = await planRun({ kind: 'background', model: 'nanococoa-sdxl', inputs: { product: join(dir, 'product.webp') }, outputs: { image: join(dir, 'o.jpg') }, params: { prompt: 'p', seed: 5 } });
    expect({ ...plan.body, product_image: undefined }).toEqual({ start_step: 1, stop_step: 1, text_content: null, bg_model: 'sdxl', bg_prompt: 'p', seed: 5, product_image: undefined });
    expect(Buffer.from(plan.body.product_image!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(plan.steps).toEqual([1]);
  });

  it('render_text is steps 2–3 from a finished background, with the copy as text_content', async () => {
    const plan = await planRun({ kind: 'render_text', model: null, inputs: { image: join(dir, 'bg.png') }, outputs: { image: join(dir, 'o.png') }, params: { text: [' SALE ', '오늘만'], font: 'NanumGothic/NanumGothic.ttf', composition_mode: 'blend' } });
    expect(plan.body).toMatchObject({ start_step: 2, stop_step: 3, text_content: 'SALE\n오늘만', font_name: 'NanumGothic/NanumGothic.ttf', composition_mode: 'blend' });
    expect(typeof plan.body.step1_image).toBe('string');
    expect(plan.steps).toEqual([2, 3]);
  });

  it('refuses what the server cannot do or would misread, with an actionable message', async () => {
    const bad = async (p: Promise<unknown>) => (await p.then(() => null, (e: unknown) => e)) as AppError;
    expect((await bad(planRun({ kind: 'cutout', model: null, inputs: {}, outputs: { image: join(dir, 'o.png') } }))).code).toBe('unsupported');
    expect((await bad(planRun({ kind: 'background', model: null, inputs: {}, outputs: { image: join(dir, 'o.gif') } }))).message).toMatch(/use a \.png, \.jpg, \.jpeg or \.webp file name/);
    expect((await bad(planRun({ kind: 'background', model: 'flux-dev', inputs: {}, outputs: { image: join(dir, 'o.png') } }))).code).toBe('not-found');
    expect((await bad(planRun({ kind: 'background', model: null, inputs: {}, outputs: { image: join(dir, 'o.png') }, params: { seed: -1 } }))).message).toMatch(/seed/);
    expect((await bad(planRun({ kind: 'render_text', model: null, inputs: { image: join(dir, 'bg.png') }, outputs: { image: join(dir, 'o.png') }, params: { text: 'x', text_position: 'left' } }))).message).toMatch(/top, center, bottom, auto/);
    expect((await bad(planRun({ kind: 'background', model: null, inputs: { product: join(dir, 'missing.png') }, outputs: { image: join(dir, 'o.png') } }))).code).toBe('not-found');
  });
});
