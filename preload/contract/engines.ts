import { z } from 'zod';

/**
 * Engine containers as the Engines panel sees them (main/core/containers/container-manager.ts
 * EngineSnapshot, mirrored here so the renderer can validate what it gets).
 */
export const ENGINE_STATE_NAMES = ['absent', 'building', 'pulling', 'created', 'starting', 'healthy', 'stopping', 'stopped', 'error'] as const;
/** How adstudio talks to an engine; "generic" = only its health route is known. */
export const ENGINE_PROTOCOLS = ['adstudio-v1', 'nanococoa', 'generic'] as const;

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
  /** Always sent by the manager; optional only so older snapshots still parse. */
  protocol: z.enum(ENGINE_PROTOCOLS).optional(),
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
/** The full log viewer asks for more lines at a time ("Load earlier lines"); the files on disk hold them. */
export const ENGINE_LOG_MAX_LINES = 50_000;
export const engineLogsRequestSchema = z.object({ profile: profileName, limit: z.number().int().min(1).max(ENGINE_LOG_MAX_LINES).optional() });
export const engineLogsResponseSchema = z.object({
  lines: z.array(engineLogLineSchema),
  file: z.string().nullable(),
  /** Older lines exist on disk than the ones returned. */
  more: z.boolean().optional(),
});

// ---- custom profiles (<data dir>/engines.json, edited from the Engines panel) ----------------------

/** Profile and container names: what Docker accepts as a container name, kept lowercase. */
export const engineProfileNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'lowercase letters, digits, "-", "_" or "." (max 63)');
export const enginePortSchema = z.number().int().min(1).max(65_535);
export const engineNetworkSchema = z.enum(['auto', 'publish', 'host']);
export const engineEnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and "_", not starting with a digit');
export const engineEnvSchema = z.record(engineEnvNameSchema, z.string());

/**
 * A profile a person adds (engines.json "customProfiles"). The one schema both sides use: the
 * settings file is read with it, and the Engines panel's form is checked with it on the way in.
 */
export const customEngineProfileSchema = z
  .object({
    name: engineProfileNameSchema,
    title: z.string().max(120).optional(),
    image: z.string().min(1),
    protocol: z.enum(ENGINE_PROTOCOLS).default('adstudio-v1'),
    /** The port the server listens on inside the container. */
    port: enginePortSchema,
    /** Published on 127.0.0.1 (default: the same as port). */
    hostPort: enginePortSchema.optional(),
    healthPath: z.string().startsWith('/').default('/health'),
    network: engineNetworkSchema.optional(),
    containerName: engineProfileNameSchema.optional(),
    knownNames: z.array(engineProfileNameSchema).default([]),
    /** Host folder (default: the model folder) → container folder. */
    volume: z.object({ hostPath: z.string().min(1).optional(), containerPath: z.string().startsWith('/') }).strict().optional(),
    env: engineEnvSchema.default({}),
    /** Host environment variables handed over when set (tokens stay out of the settings file). */
    passEnv: z.array(engineEnvNameSchema).default([]),
    gpu: z.boolean().default(false),
    minFreeDiskGb: z.number().min(0).default(0),
    minVramGb: z.number().min(0).default(0),
    healthTimeoutSec: z.number().int().min(5).max(86_400).optional(),
    stopTimeoutSec: z.number().int().min(1).max(600).default(30),
    command: z.array(z.string()).optional(),
  })
  .strict();
export type CustomEngineProfile = z.output<typeof customEngineProfileSchema>;
export type CustomEngineProfileInput = z.input<typeof customEngineProfileSchema>;

/** When adstudio quits: leave the engines it started running (long downloads survive) or stop them. */
export const engineOnQuitSchema = z.enum(['leave-running', 'stop']);
export type EngineOnQuit = z.infer<typeof engineOnQuitSchema>;

/** What the panel needs to add and edit profiles: the file, the built-in names (not to be reused), the custom ones. */
export const engineSettingsViewSchema = z.object({
  file: z.string(),
  builtins: z.array(z.object({ name: z.string(), title: z.string(), containerName: z.string() })),
  customProfiles: z.array(customEngineProfileSchema),
  /** engines.json's onQuit (always sent by the manager). */
  onQuit: engineOnQuitSchema.optional(),
});

export const setEngineOnQuitRequestSchema = z.object({ onQuit: engineOnQuitSchema });
export type EngineSettingsViewPayload = z.infer<typeof engineSettingsViewSchema>;

export const saveEngineProfileRequestSchema = z.object({
  profile: customEngineProfileSchema,
  /** add: the name must be new; edit: replaces the custom profile of that name. */
  mode: z.enum(['add', 'edit']).default('add'),
});
export const deleteEngineProfileRequestSchema = z.object({ name: profileName });

/** After a save or delete: the settings and engine list as they are now, and what still runs. */
export const engineProfileChangeSchema = z.object({
  settings: engineSettingsViewSchema,
  engines: z.array(engineSnapshotSchema),
  profile: z.string(),
  /** Container of a deleted profile that keeps running (adstudio no longer manages it). */
  keptRunning: z.string().nullable(),
  /** The edited profile's container runs with its old settings until it is restarted. */
  restartToApply: z.boolean(),
});
export type EngineProfileChangePayload = z.infer<typeof engineProfileChangeSchema>;

// ---- VRAM as the running engine reports it ------------------------------------------------------

export const engineMemorySchema = z.object({
  profile: z.string(),
  /** null: the engine runs without a GPU (CPU only). */
  gpu: z
    .object({
      usedMb: z.number().nonnegative(),
      totalMb: z.number().nonnegative(),
      /** What the engine's scheduler plans with; absent when the engine has no budget (nanoCocoa). */
      budgetMb: z.number().nonnegative().optional(),
      simulated: z.boolean(),
    })
    .nullable(),
  /** Models the engine holds now (adstudio engines; empty for engines that do not say). */
  resident: z.array(z.object({ id: z.string().max(128), label: z.string().max(200), device: z.enum(['gpu', 'cpu']), footprintMb: z.number().nonnegative() })).max(64),
  simulated: z.boolean(),
  checkedAt: z.number(),
});
export type EngineMemoryPayload = z.infer<typeof engineMemorySchema>;
