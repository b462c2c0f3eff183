import { z } from 'zod';

/**
 * Engine containers as the Engines panel sees them (main/core/containers/container-manager.ts
 * EngineSnapshot, mirrored here so the renderer can validate what it gets).
 */
export const ENGINE_STATE_NAMES = ['absent', 'building', 'pulling', 'created', 'starting', 'healthy', 'stopping', 'stopped', 'error'] as const;

export const engineErrorSchema = z.object({
  /** Machine-readable why (daemon-unreachable, no-gpu-runtime, port-taken, …). */
  reason: z.string(),
  message: z.string(),
  /** What a person should do about it. */
  action: z.string(),
  /** Offer "use the embedded engine" (no Docker, no GPU runtime). */
  offerEmbedded: z.boolean(),
});

export const engineSnapshotSchema = z.object({
  profile: z.string(),
  title: z.string(),
  state: z.enum(ENGINE_STATE_NAMES),
  health: z.object({ ok: z.boolean(), detail: z.string(), checkedAt: z.number() }).nullable(),
  port: z.number().int(),
  url: z.string(),
  containerId: z.string().nullable(),
  containerName: z.string().nullable(),
  image: z.string(),
  imageSize: z.number().nullable(),
  diskFree: z.object({ path: z.string(), freeBytes: z.number(), minBytes: z.number(), low: z.boolean() }).nullable(),
  gpu: z.boolean(),
  network: z.enum(['publish', 'host']).nullable(),
  adopted: z.boolean(),
  progress: z
    .object({ phase: z.enum(['build', 'pull', 'health', 'stop']), fraction: z.number().nullable(), message: z.string() })
    .nullable(),
  error: engineErrorSchema.nullable(),
  warnings: z.array(z.string()),
  updatedAt: z.number(),
});
export type EngineSnapshotPayload = z.infer<typeof engineSnapshotSchema>;

export const engineLogLineSchema = z.object({
  profile: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  at: z.number(),
});
export type EngineLogLinePayload = z.infer<typeof engineLogLineSchema>;

const profileName = z.string().min(1).max(64);
export const engineRequestSchema = z.object({ profile: profileName });
export const engineLogsRequestSchema = z.object({ profile: profileName, limit: z.number().int().min(1).max(5000).optional() });
export const engineLogsResponseSchema = z.object({ lines: z.array(engineLogLineSchema), file: z.string().nullable() });
