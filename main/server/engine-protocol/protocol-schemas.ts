import { z } from 'zod';
import { STAGE_KINDS } from '../../engine/stage-engine.js';

/**
 * Request bodies of engine protocol v1 (docs/engine-protocol.openapi.yaml describes the same shapes).
 * Strict objects: a misspelt field is an error, not silently ignored. Paths are strings here; the
 * workspace check (inside the root, no escapes) happens after parsing.
 */

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1-64 letters, digits, "_", "-" or "."');
const path = z.string().min(1, 'a file path is required').max(4096, 'paths are at most 4096 characters');
const modelId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a model id');
const paths = z.record(name, path).refine((r) => Object.keys(r).length <= 32, 'at most 32 files per stage');
const params = z.record(z.string(), z.unknown()).optional();

export const stageRequestSchema = z.strictObject({
  /**
   * The run's id, chosen by the client (optional): it knows the id before the request goes out, so it
   * can cancel or follow the run even if the answer never arrives; a repeated POST with the same id
   * answers with that run instead of starting another.
   */
  id: z.string().regex(/^r-[0-9a-f]{16}$/, 'a run id is "r-" and 16 lowercase hex digits').optional(),
  kind: z.enum(STAGE_KINDS),
  model: modelId.nullable(),
  inputs: paths,
  outputs: paths,
  params,
});

const stageInputSchema = z.union([path, z.strictObject({ from: name, output: name })]);

export const stageSpecSchema = z.strictObject({
  id: name,
  kind: z.enum(STAGE_KINDS),
  model: modelId.nullable(),
  inputs: z.record(name, stageInputSchema),
  outputs: paths,
  params,
  after: z.array(name).max(64).optional(),
});

export const jobSpecSchema = z.strictObject({
  title: z.string().min(1).max(200),
  priority: z.enum(['interactive', 'batch']),
  stages: z.array(stageSpecSchema).min(1, 'a job needs at least one stage').max(64, 'at most 64 stages per job'),
});

/** Ids in URLs: checked before they reach a file name or a map lookup. */
export const RUN_ID = /^r-[0-9a-f]{16}$/;
export const MODEL_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
export const JOB_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
