/**
 * The nanoCocoa AI server's REST API as its code answers it (shared/reference/nanococoa-server.md):
 * only the fields this adapter reads. Every field is optional and loosely typed on purpose — the
 * server's docs and code disagree in places, and a client must survive both.
 */

/** `POST /generate` → 200. */
export interface GenerateAccepted {
  job_id?: unknown;
  status?: unknown;
}

/** `POST /generate` → 503 while another job is pending or running. */
export interface GenerateBusy {
  status?: unknown;
  message?: unknown;
  retry_after?: unknown;
}

export interface GpuMetric {
  index?: unknown;
  name?: unknown;
  vram_used_gb?: unknown;
  vram_total_gb?: unknown;
  vram_percent?: unknown;
}

export interface SystemMetrics {
  cpu_percent?: unknown;
  ram_used_gb?: unknown;
  ram_total_gb?: unknown;
  gpu_info?: unknown;
}

/** `GET /status/{job_id}`. The image fields are PNG base64 without a data: prefix. */
export interface StatusBody {
  job_id?: unknown;
  status?: unknown;
  message?: unknown;
  progress_percent?: unknown;
  current_step?: unknown;
  sub_step?: unknown;
  elapsed_sec?: unknown;
  eta_seconds?: unknown;
  step_eta_seconds?: unknown;
  system_metrics?: SystemMetrics;
  /** The whole request echoed back, images included: never logged, never stored. */
  parameters?: unknown;
  step1_result?: unknown;
  step2_result?: unknown;
  final_result?: unknown;
}

/** `GET /health`. */
export interface HealthBody {
  status?: unknown;
  server_time?: unknown;
  total_jobs?: unknown;
  active_jobs?: unknown;
  system_metrics?: SystemMetrics;
}

/** One entry of `GET /jobs` (no images: cheap to poll). */
export interface JobsEntry {
  job_id?: unknown;
  status?: unknown;
  progress_percent?: unknown;
  current_step?: unknown;
  message?: unknown;
  start_time?: unknown;
  elapsed_sec?: unknown;
}

export interface JobsBody {
  total_jobs?: unknown;
  active_jobs?: unknown;
  jobs?: unknown;
}

/** The body of `POST /generate` this adapter sends (the server ignores unknown keys silently). */
export interface GenerateBody {
  start_step: 1 | 2 | 3;
  stop_step: 1 | 2 | 3 | null;
  text_content: string | null;
  bg_model?: 'flux' | 'sdxl';
  product_image?: string;
  bg_prompt?: string;
  bg_negative_prompt?: string;
  bg_composition_prompt?: string;
  bg_composition_negative_prompt?: string;
  step1_image?: string;
  text_prompt?: string;
  text_negative_prompt?: string;
  font_name?: string;
  composition_mode?: 'overlay' | 'blend' | 'behind';
  text_position?: 'top' | 'center' | 'bottom' | 'auto';
  composition_prompt?: string;
  composition_negative_prompt?: string;
  composition_strength?: number;
  composition_steps?: number;
  composition_guidance_scale?: number;
  strength?: number;
  guidance_scale?: number;
  seed?: number;
  test_mode?: boolean;
  auto_unload?: boolean;
}

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
