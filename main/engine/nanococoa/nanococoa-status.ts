import { num, str, type StatusBody } from './nanococoa-wire.js';

/**
 * Reading the nanoCocoa server's job status and absorbing its quirks:
 *  - it writes `error` where its docs say `failed`: both are failure;
 *  - `progress_percent` is computed against the whole three-step pipeline from the statistics of
 *    earlier runs, and is reset at step boundaries, so it goes backwards: ignored here; progress is
 *    derived from `current_step` and the `(n/m)` counter in `sub_step` instead, and never decreases;
 *  - `eta_seconds` is a countdown that keeps going below zero when a step runs late: negative → unknown.
 */

export type NanoJobState = 'pending' | 'running' | 'completed' | 'failed' | 'stopped' | 'unknown';

export interface NanoStatusView {
  state: NanoJobState;
  /** The status word as the server wrote it (for messages). */
  rawStatus: string | null;
  message: string | null;
  currentStep: string | null;
  subStep: string | null;
  /** Seconds left as the server estimates them; null when unknown or when the estimate ran out (negative). */
  etaSeconds: number | null;
}

export function normalizeState(value: unknown): NanoJobState {
  switch (typeof value === 'string' ? value.toLowerCase() : '') {
    case 'pending':
    case 'queued':
      return 'pending';
    case 'running':
      return 'running';
    case 'completed':
    case 'done':
      return 'completed';
    case 'error':
    case 'failed':
      return 'failed';
    case 'stopped':
    case 'cancelled':
      return 'stopped';
    default:
      return 'unknown';
  }
}

export function readStatus(body: StatusBody): NanoStatusView {
  const eta = num(body.eta_seconds);
  return {
    state: normalizeState(body.status),
    rawStatus: str(body.status),
    message: str(body.message),
    currentStep: str(body.current_step),
    subStep: str(body.sub_step),
    etaSeconds: eta === null || eta < 0 ? null : Math.round(eta),
  };
}

/** The pipeline step (1 background, 2 text, 3 composite) a `current_step` names; 0 before any; null if unknown. */
export function pipelineStep(currentStep: string | null): number | null {
  if (currentStep === null) return null;
  const s = currentStep.toLowerCase();
  if (s === 'init' || s === '') return 0;
  const m = /^step([123])(?:_|$)/.exec(s);
  return m ? Number(m[1]) : null;
}

/** The fraction an `(n/m)` counter in a sub-step says (`flux_bg_generation (12/25.5)` → 0.47); null without one. */
export function subStepFraction(subStep: string | null): number | null {
  if (!subStep) return null;
  const m = /\((\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\)/.exec(subStep);
  if (!m) return null;
  const done = Number(m[1]);
  const total = Number(m[2]);
  if (!(total > 0) || !(done >= 0)) return null;
  return Math.min(1, done / total);
}

/**
 * Monotonic progress of one run that covers pipeline steps `steps` (e.g. [1] for a background,
 * [2, 3] for text + composite). Each step gets an equal share; within a step the sub-step counter
 * fills the share up to 99 % of it; only a completed job reaches 1.
 */
export class MonotonicProgress {
  private value = 0;

  constructor(private readonly steps: readonly number[]) {}

  get current(): number {
    return this.value;
  }

  update(view: NanoStatusView): number {
    if (view.state === 'completed') {
      this.value = 1;
      return 1;
    }
    const step = pipelineStep(view.currentStep);
    if (step !== null && step > 0 && this.steps.length > 0) {
      const first = this.steps[0] as number;
      const last = this.steps[this.steps.length - 1] as number;
      if (step >= first) {
        const index = step > last ? this.steps.length - 1 : Math.max(0, this.steps.indexOf(step));
        const within = Math.min(0.99, subStepFraction(view.subStep) ?? 0);
        const candidate = Math.min(0.99, (index + within) / this.steps.length);
        this.value = Math.max(this.value, candidate);
      }
    }
    return this.value;
  }
}

const STEP_NAMES: Record<number, string> = { 0: 'starting', 1: 'background', 2: 'text', 3: 'composite' };

/** One line for the Jobs panel: what the server is doing and, when it knows, how long it thinks is left. */
export function describeStatus(view: NanoStatusView): string {
  if (view.state === 'pending') return 'nanoCocoa: the job is waiting to start';
  const step = pipelineStep(view.currentStep);
  const what = step !== null ? `step ${step || 0}: ${STEP_NAMES[step] ?? view.currentStep}` : (view.currentStep ?? 'working');
  const detail = view.subStep ? ` — ${view.subStep}` : '';
  const eta = view.etaSeconds !== null ? `, about ${formatSeconds(view.etaSeconds)} left (server estimate)` : '';
  return `nanoCocoa ${what}${detail}${eta}`;
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}
