import { z } from 'zod';
import { assetHashSchema, documentSchema } from './document.js';
import { EXPORT_FORMATS, IMAGE_MIME } from './limits.js';
import { textRegionsSchema } from './detect.js';
import { BACKGROUND_PRESETS } from './ad-layout.js';
import {
  deleteEngineProfileRequestSchema,
  engineLogLineSchema,
  engineLogsRequestSchema,
  engineLogsResponseSchema,
  engineMemorySchema,
  engineProfileChangeSchema,
  engineRequestSchema,
  engineSettingsViewSchema,
  engineSnapshotSchema,
  saveEngineProfileRequestSchema,
  setEngineOnQuitRequestSchema,
} from './engines.js';
import { jobEngineViewSchema, jobIdRequestSchema, jobRecordSchema, listJobsRequestSchema, memoryViewSchema, setJobEngineRequestSchema } from './jobs.js';
import { modelDownloadRequestSchema, modelInfoSchema } from './models.js';

/**
 * The one IPC contract. Every invoke channel has a request and a response schema; every event a
 * payload schema. Electron IPC and the browser bridge (WebSocket) both carry exactly this map.
 * Channel names on the wire are CHANNEL_PREFIX + key.
 */
export const CHANNEL_PREFIX = 'adstudio:';

const none = z.undefined();
const bytes = z.instanceof(Uint8Array);
const absolutePath = z.string().min(1).max(4096);

export const assetInfoSchema = z.object({
  hash: assetHashSchema,
  kind: z.enum(['image', 'mask']),
  mime: z.enum(IMAGE_MIME),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
});
export type AssetInfo = z.infer<typeof assetInfoSchema>;

export const languageSchema = z.enum(['system', 'ko', 'en']);
export const settingsSchema = z.object({
  language: languageSchema,
  maskColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  maskOpacity: z.number().min(0).max(1),
  autosaveSeconds: z.number().int().min(5).max(3600),
  inpaintMethod: z.string().min(1).max(64),
});
export type Settings = z.infer<typeof settingsSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  osLocale: z.string(),
  platform: z.string(),
  projectsDir: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const projectPayload = z.object({ path: z.string(), document: documentSchema, assets: z.array(assetInfoSchema) });
/** Where a written file ended up: a path on disk (Electron / server folder) and, in browser mode, a URL to download it. */
const writtenFile = z.object({ path: z.string(), downloadUrl: z.string().optional() });

export const jobStatusSchema = z.enum(['done', 'cancelled', 'failed']);

export const invokeChannels = {
  getAppInfo: { request: none, response: appInfoSchema },
  getSettings: { request: none, response: settingsSchema },
  updateSettings: { request: settingsSchema.partial(), response: settingsSchema },

  /** Store encoded image/mask bytes as a content-hashed asset after validating them. */
  putAsset: {
    request: z.object({ kind: z.enum(['image', 'mask']), bytes, name: z.string().max(255).optional() }),
    response: assetInfoSchema,
  },
  getAssetInfo: { request: z.object({ hash: assetHashSchema }), response: assetInfoSchema },
  /** Native open dialog (Electron only; browser mode uses <input type=file> + putAsset). null = cancelled. */
  openImageDialog: {
    request: z.object({ kind: z.enum(['image', 'mask']) }),
    response: z.object({ asset: assetInfoSchema, name: z.string() }).nullable(),
  },

  listInpaintMethods: {
    request: none,
    response: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        isDefault: z.boolean(),
        /** A method that runs a downloadable model: its id in listModels, and whether it is installed (else erasing with it fails 'not-found'). */
        model: z.string().optional(),
        installed: z.boolean().optional(),
      }),
    ),
  },
  /** Start erasing `mask` (255 = fill) from `image`. Progress and the result arrive as events. */
  startInpaint: {
    request: z.object({ image: assetHashSchema, mask: assetHashSchema, method: z.string().max(64).optional() }),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * Find the text in `image` and propose an erase mask. Progress arrives as jobProgress; the end as
   * jobFinished with `result` = the mask asset (kind 'mask', the image's size, 255 = text) and
   * `regions` = the lines found (empty when there is no text). Cancel with cancelJob.
   */
  startDetectText: { request: z.object({ image: assetHashSchema }), response: z.object({ jobId: z.string() }) },
  /**
   * Cut the product out of `image`. The end arrives as jobFinished with `result` = the cut-out (kind
   * 'image', RGBA, the image's size, transparent around the product) and `madeBy` (e.g.
   * "cutout:isnet"). A photo without a clear foreground fails with a message saying so.
   */
  startCutout: {
    request: z.object({
      image: assetHashSchema,
      /**
       * The product as the user selected it (a mask asset of the image's size, 255 = product): used
       * instead of segmentation; the edges are still refined and decontaminated.
       */
      mask: assetHashSchema.optional(),
    }),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * Draw background candidates of width×height. The end arrives as jobFinished with `candidates` (one
   * per preset, in order). Colours come from `paletteFrom` (usually the cut-out) when given. A
   * `prompt` needs an engine that generates from one; the embedded engine refuses it clearly.
   */
  startBackgrounds: {
    request: z.object({
      width: z.number().int().min(16).max(8192),
      height: z.number().int().min(16).max(8192),
      /** Default: every preset. */
      presets: z.array(z.enum(BACKGROUND_PRESETS)).min(1).max(16).optional(),
      paletteFrom: assetHashSchema.optional(),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      prompt: z.string().min(1).max(2000).optional(),
    }),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * Cancel an editor job (erase, detect text) or a scheduler job (Jobs panel). `cancelled` is false
   * for a job that already ended or is unknown. A scheduler job's end arrives as jobUpdated.
   */
  cancelJob: { request: z.object({ jobId: z.string().max(64) }), response: z.object({ cancelled: z.boolean() }) },

  /** Save a project. No path (or saveAs) = ask where (Electron dialog; browser mode: projects folder). null = cancelled. */
  saveProject: {
    request: z.object({
      document: documentSchema,
      path: absolutePath.optional(),
      saveAs: z.boolean().optional(),
      /** Browser mode: file name inside the projects folder. */
      name: z.string().max(200).optional(),
    }),
    response: z.object({ path: z.string() }).nullable(),
  },
  openProject: { request: z.object({ path: absolutePath.optional() }), response: projectPayload.nullable() },
  listProjects: {
    request: none,
    response: z.array(z.object({ path: z.string(), name: z.string(), modifiedAt: z.string(), bytes: z.number() })),
  },

  /** Crash-safe copy of the working document (assets live in the store already). */
  autosave: {
    request: z.object({ sessionId: z.string().min(8).max(64), document: documentSchema, path: z.string().nullable(), dirty: z.boolean() }),
    response: z.object({ savedAt: z.string() }),
  },
  listRecoverable: {
    request: none,
    response: z.array(z.object({ sessionId: z.string(), title: z.string(), savedAt: z.string(), path: z.string().nullable() })),
  },
  recoverSession: {
    request: z.object({ sessionId: z.string().min(8).max(64) }),
    response: z.object({ document: documentSchema, path: z.string().nullable(), assets: z.array(assetInfoSchema) }),
  },
  discardRecovery: { request: z.object({ sessionId: z.string().min(8).max(64) }), response: z.object({}) },

  /** Flatten the document at full resolution and write it. null = cancelled dialog. */
  exportImage: {
    request: z.object({
      document: documentSchema,
      format: z.enum(EXPORT_FORMATS),
      quality: z.number().int().min(1).max(100).optional(),
      name: z.string().max(200).optional(),
    }),
    response: writtenFile.nullable(),
  },
  /**
   * Write an ad the renderer drew at full resolution (already encoded as `format`); main checks the
   * bytes decode as that format at width×height before writing atomically. null = cancelled dialog.
   */
  exportRendered: {
    request: z.object({
      bytes,
      format: z.enum(EXPORT_FORMATS),
      width: z.number().int().min(1).max(65_535),
      height: z.number().int().min(1).max(65_535),
      name: z.string().max(200).optional(),
    }),
    response: writtenFile.nullable(),
  },
  /** Write the current mask of a document as an 8-bit PNG (mask export). */
  exportMask: {
    request: z.object({ mask: assetHashSchema, name: z.string().max(200).optional() }),
    response: writtenFile.nullable(),
  },

  /** Engine containers (Engines panel). Lists every profile; looks at Docker, changes nothing. */
  listEngines: { request: none, response: z.array(engineSnapshotSchema) },
  /** Start/stop/restart resolve when done; progress arrives as engineState events. */
  startEngine: { request: engineRequestSchema, response: engineSnapshotSchema },
  stopEngine: { request: engineRequestSchema, response: engineSnapshotSchema },
  restartEngine: { request: engineRequestSchema, response: engineSnapshotSchema },
  /**
   * Deletes the engine's stopped (or failed) container; the image and the model volume stay, and the
   * next start creates a fresh container. A running engine is refused (stop it first), never stopped.
   */
  removeEngine: { request: engineRequestSchema, response: engineSnapshotSchema },
  /** The last lines of an engine's log, and the file holding the full log. */
  getEngineLogs: { request: engineLogsRequestSchema, response: engineLogsResponseSchema },
  /** Custom engine profiles (engines.json) and the built-in names a new one may not take. */
  getEngineSettings: { request: none, response: engineSettingsViewSchema },
  /** Add or edit a custom profile; written atomically, the manager picks it up at once (running containers are left alone). */
  saveEngineProfile: { request: saveEngineProfileRequestSchema, response: engineProfileChangeSchema },
  /** Delete a custom profile (built-in ones cannot be); a container it runs keeps running, and the answer says so. */
  deleteEngineProfile: { request: deleteEngineProfileRequestSchema, response: engineProfileChangeSchema },
  /** VRAM as a healthy engine reports it (gpu null = CPU only); the panel polls it while open. */
  getEngineMemory: { request: engineRequestSchema, response: engineMemorySchema },
  /**
   * POST /server-reset to a nanoCocoa engine (stops every job on it, clears a stuck job lock);
   * unsupported for other protocols. Answers the engine as Docker shows it afterwards.
   */
  resetEngine: { request: engineRequestSchema, response: engineSnapshotSchema },
  /** engines.json's onQuit, written atomically; the running manager uses it at quit (no restart). */
  setEngineOnQuit: { request: setEngineOnQuitRequestSchema, response: engineSettingsViewSchema },

  /** Scheduler jobs (Jobs panel), newest first; `active` = queued or running only. Empty without a scheduler. */
  listJobs: { request: listJobsRequestSchema, response: z.array(jobRecordSchema) },
  /** A failed or cancelled job again, as a new job (from its first unfinished stage). */
  retryJob: { request: jobIdRequestSchema, response: jobRecordSchema },
  /** What the VRAM bar shows: the card, the budget, the models resident now (gpu null = CPU only). */
  getJobsMemory: { request: none, response: memoryViewSchema },
  /** Where new jobs run: the embedded engine or a container engine profile (Engines panel, "Run jobs on"). */
  getJobEngine: { request: none, response: jobEngineViewSchema },
  /**
   * Choose where new jobs run ("embedded" or a profile's name; kept across restarts). A chosen container
   * engine takes the jobs while it is healthy; until then, and whenever it stops, the embedded engine does.
   * Jobs already queued stay on the engine they were given to.
   */
  setJobEngine: { request: setJobEngineRequestSchema, response: jobEngineViewSchema },

  /** Downloadable models (LaMa, …): size, licence, installed or not. Empty when this host has no model store. */
  listModels: { request: none, response: z.array(modelInfoSchema) },
  /**
   * Download (or resume) a model. Progress arrives as jobProgress (message e.g. "41 MB of 208 MB"),
   * the end as jobFinished (no result); cancel with cancelJob (the bytes received are kept for a resume).
   * A second call while it runs answers the same job id.
   */
  startModelDownload: { request: modelDownloadRequestSchema, response: z.object({ jobId: z.string() }) },
} as const;

export const eventChannels = {
  jobProgress: z.object({ jobId: z.string(), progress: z.number().min(0).max(1), message: z.string().optional() }),
  jobFinished: z.object({
    jobId: z.string(),
    status: jobStatusSchema,
    result: assetInfoSchema.optional(),
    /** Method that produced the result, e.g. "inpaint:telea". */
    madeBy: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    /** Text detection jobs only (startDetectText): the lines found; `result` is then their mask. */
    regions: textRegionsSchema.optional(),
    /** Background jobs only (startBackgrounds): each candidate and who made it ("embedded · sweep · seed 7"). */
    candidates: z.array(z.object({ asset: assetInfoSchema, madeBy: z.string(), preset: z.string().optional(), seed: z.number().optional() })).optional(),
  }),
  engineState: engineSnapshotSchema,
  engineLog: engineLogLineSchema,
  /** A scheduler job changed: progress at most ~4 times a second per job, status changes at once. */
  jobUpdated: jobRecordSchema,
  /** The scheduler's memory changed (a model loaded or unloaded, freed memory came back). */
  jobsMemory: memoryViewSchema,
  /** Where new jobs run changed (a choice, or the chosen container engine became healthy or stopped). */
  jobEngine: jobEngineViewSchema,
} as const;

export type InvokeChannels = typeof invokeChannels;
export type InvokeName = keyof InvokeChannels;
export type EventName = keyof typeof eventChannels;
export type RequestOf<K extends InvokeName> = z.input<InvokeChannels[K]['request']>;
export type ResponseOf<K extends InvokeName> = z.output<InvokeChannels[K]['response']>;
export type EventPayload<K extends EventName> = z.output<(typeof eventChannels)[K]>;

export const INVOKE_NAMES = Object.keys(invokeChannels) as InvokeName[];
export const EVENT_NAMES = Object.keys(eventChannels) as EventName[];

export function isInvokeName(name: string): name is InvokeName {
  return Object.prototype.hasOwnProperty.call(invokeChannels, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(eventChannels, name);
}
