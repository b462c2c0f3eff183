import type { CHANNEL_PREFIX as ContractPrefix, EventName, InvokeName } from './channels.js';

/**
 * Channel names without the zod schemas, for code that must stay small (the sandboxed preload, the
 * renderer's bridge). Only type imports from channels.ts, so bundling this file pulls in no zod.
 * The checks below fail to compile if these lists drift from the channel map.
 */
export const CHANNEL_PREFIX: typeof ContractPrefix = 'adstudio:';

export const INVOKE_CHANNEL_NAMES = [
  'getAppInfo',
  'getSettings',
  'updateSettings',
  'putAsset',
  'getAssetInfo',
  'openImageDialog',
  'listInpaintMethods',
  'startInpaint',
  'startDetectText',
  'startCutout',
  'startBackgrounds',
  'cancelJob',
  'saveProject',
  'openProject',
  'listProjects',
  'autosave',
  'listRecoverable',
  'recoverSession',
  'discardRecovery',
  'exportImage',
  'exportRendered',
  'exportMask',
  'listEngines',
  'startEngine',
  'stopEngine',
  'restartEngine',
  'removeEngine',
  'getEngineLogs',
  'getEngineSettings',
  'saveEngineProfile',
  'deleteEngineProfile',
  'getEngineMemory',
  'resetEngine',
  'setEngineOnQuit',
  'listJobs',
  'retryJob',
  'getJobsMemory',
  'getJobEngine',
  'setJobEngine',
  'listModels',
  'startModelDownload',
] as const satisfies readonly InvokeName[];

export const EVENT_CHANNEL_NAMES = ['jobProgress', 'jobFinished', 'engineState', 'engineLog', 'jobUpdated', 'jobsMemory', 'jobEngine'] as const satisfies readonly EventName[];

type MissingInvoke = Exclude<InvokeName, (typeof INVOKE_CHANNEL_NAMES)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENT_CHANNEL_NAMES)[number]>;
// If either line fails to compile, a channel was added to channels.ts but not listed here.
export const NAMES_ARE_COMPLETE: [MissingInvoke, MissingEvent] extends [never, never] ? true : false = true;
