import type { AssetInfo } from '../../../preload/contract/channels';
import type { TextRegionPayload } from '../../../preload/contract/detect';
import type { MessageKey, Vars } from '../i18n/translate';
import type { ToolId, ToolPreview } from './tools/tool-types';
import type { Size, Viewport } from './viewport';

/** Before/after of the last erase, shown until accepted or discarded. */
export interface CompareState {
  imageId: string;
  before: string;
  after: string;
  /** 0..1: left of the split shows the original. */
  split: number;
  /** The hold key is down: show the original everywhere. */
  holding: boolean;
}

/** What a host job does: erase (inpaint), find text, cut a product out, draw ad backgrounds. Only one runs at a time. */
export type JobKind = 'erase' | 'detect' | 'cutout' | 'backgrounds';

export interface JobState {
  kind: JobKind;
  jobId: string | null;
  phase: 'starting' | 'running' | 'cancelling';
  progress: number;
  message?: string;
}

export type Notice = {
  id: number;
  kind: 'info' | 'success' | 'error';
  title: MessageKey;
  vars?: Vars;
  /** Error code: a localised explanation is shown for it. */
  code?: string;
  /** Server message or detail, shown smaller under the title. */
  detail?: string;
};

export type DialogState =
  | { kind: 'settings' }
  | { kind: 'export' }
  | { kind: 'save'; then?: () => void }
  | { kind: 'open-project' }
  | { kind: 'recover'; sessions: RecoverableSession[] }
  | { kind: 'confirm-discard'; name: string; proceed: () => void };

export interface RecoverableSession {
  sessionId: string;
  title: string;
  savedAt: string;
  path: string | null;
}

/**
 * Text regions proposed by "Detect text": session state, never in history or the project. They
 * belong to the image they were found in and are shown only while the document shows that image
 * (an erase hides them; undoing it brings them back).
 */
export interface TextRegionsState {
  /** Document they were found in (docSerial) and the image asset. */
  docSerial: number;
  image: string;
  width: number;
  height: number;
  regions: readonly TextRegionPayload[];
  /** Per region (same order): part of the proposal? */
  enabled: readonly boolean[];
  /** Every region's mask crop is decoded (composition and the fill preview need them). */
  cropsReady: boolean;
}

/** One background the engine drew for the ad (session only: thumbnails to choose from). */
export interface AdBackgroundCandidate {
  asset: AssetInfo;
  /** Who made it and how ("embedded · sweep · seed 7"). */
  madeBy: string;
  preset?: string;
  seed?: number;
}

/** The last set of background candidates of the open ad ("More" replaces it). */
export interface AdBackgroundsState {
  /** Document they were drawn for (docSerial). */
  docSerial: number;
  width: number;
  height: number;
  /** Seed of this set; "More" asks for the next one. */
  seed: number;
  prompt: string | null;
  candidates: readonly AdBackgroundCandidate[];
}

/**
 * Where "Select product" made the photo's mask the product selection (see ad/product-selection.ts):
 * the document (docSerial), the photo and mask record, and the undo depth right after that step.
 */
export interface ProductMaskState {
  docSerial: number;
  image: string;
  maskId: string;
  depth: number;
}

export type ConnectionState = 'connected' | 'reconnecting' | 'unauthorized';

export interface SessionState {
  /** Bumped whenever a document is opened, so views re-fit. */
  docSerial: number;
  hasDocument: boolean;
  tool: ToolId;
  brushSize: number;
  brushHardness: number;
  shapeMode: 'add' | 'subtract';
  selectedId: string | null;
  viewport: Viewport;
  viewSize: Size;
  preview: ToolPreview;
  maskEmpty: boolean;
  /** A mask action (grow/feather/upload) is running. */
  maskBusy: boolean;
  compare: CompareState | null;
  job: JobState | null;
  projectPath: string | null;
  /** Recovered work that was never saved: shown as unsaved even though history is clean. */
  recoveredUnsaved: boolean;
  dialog: DialogState | null;
  notices: Notice[];
  connection: ConnectionState;
  saving: boolean;
  lastAutosave: string | null;
  /** Busy opening/loading something: a spinner instead of the welcome actions. */
  loading: boolean;
  /** Opened images and painted masks still on their way to the host (background uploads). */
  uploads: { count: number; bytes: number };
  /** An action (erase, save, export) is waiting for those uploads: show it. */
  waitingForUploads: boolean;
  /** Regions found by the last "Detect text" (null: none proposed). */
  textRegions: TextRegionsState | null;
  /** Region id under the pointer or the list cursor: highlighted on the canvas and in the list. */
  textHover: number | null;
  /** Background candidates of the open ad (null: none drawn in this session). */
  adBackgrounds: AdBackgroundsState | null;
  /** The photo's mask is the product selection (null: it is not; checked against history). */
  productMask: ProductMaskState | null;
}

export const BRUSH_MIN = 1;
export const BRUSH_MAX = 500;

export function initialSession(): SessionState {
  return {
    docSerial: 0,
    hasDocument: false,
    tool: 'brush',
    brushSize: 40,
    brushHardness: 0.8,
    shapeMode: 'add',
    selectedId: null,
    viewport: { zoom: 1, x: 0, y: 0 },
    viewSize: { width: 800, height: 600 },
    preview: null,
    maskEmpty: true,
    maskBusy: false,
    compare: null,
    job: null,
    projectPath: null,
    recoveredUnsaved: false,
    dialog: null,
    notices: [],
    connection: 'connected',
    saving: false,
    lastAutosave: null,
    loading: false,
    uploads: { count: 0, bytes: 0 },
    waitingForUploads: false,
    textRegions: null,
    textHover: null,
    adBackgrounds: null,
    productMask: null,
  };
}

/** `[`/`]` step: proportional so small and large brushes both change usefully. */
export function nextBrushSize(size: number, direction: 1 | -1): number {
  const step = size < 10 ? 1 : size < 50 ? 5 : size < 100 ? 10 : 25;
  return Math.max(BRUSH_MIN, Math.min(BRUSH_MAX, size + direction * step));
}
