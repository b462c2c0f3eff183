import type { ResponseOf } from '../../../../preload/contract/channels';
import { methodName } from '../../editor/methods/method-names';

export { madeByName, methodName, methodOfMadeBy } from '../../editor/methods/method-names';

/** An erase method as listInpaintMethods gives it (model/installed for methods that run a downloadable model). */
export type MethodInfo = ResponseOf<'listInpaintMethods'>[number];
/** A downloadable model as listModels gives it. */
export type ModelInfo = ResponseOf<'listModels'>[number];

/** A model download the panel follows (started here, or found running after a reload). */
export interface DownloadView {
  /** null until startModelDownload has answered. */
  jobId: string | null;
  phase: 'starting' | 'running' | 'cancelling';
  /** 0..1, never goes back. */
  progress: number;
  /** The host's words, e.g. "41 MB of 208 MB" or "Checking 41 MB of 208 MB". */
  message?: string;
}

/**
 * ready: can erase with it now · needs-download: its model can be fetched here · downloading ·
 * unavailable: its model is missing and this host cannot fetch it (no model store).
 */
export type Availability = 'ready' | 'needs-download' | 'downloading' | 'unavailable';

export interface MethodRow {
  id: string;
  /** What the user reads (a name the same in every language, e.g. "LaMa"). */
  name: string;
  isDefault: boolean;
  selected: boolean;
  availability: Availability;
  /** The model behind the method, when it runs one and the host lists it. */
  model: ModelInfo | null;
  download: DownloadView | null;
}

/** Menu order: the default first, then the built-in methods, then methods that need a model. */
const ORDER = ['patchmatch', 'telea', 'smooth', 'lama'];

export function availabilityOf(method: MethodInfo, model: ModelInfo | null, download: DownloadView | null): Availability {
  if (!method.model || method.installed) return 'ready';
  if (download) return 'downloading';
  return model ? 'needs-download' : 'unavailable';
}

/** The rows of the method menu, in a stable order, with what each needs before it can erase. */
export function methodRows(
  methods: readonly MethodInfo[],
  models: readonly ModelInfo[],
  selectedId: string,
  downloads: Readonly<Record<string, DownloadView>>,
): MethodRow[] {
  const rank = (m: MethodInfo) => {
    const i = ORDER.indexOf(m.id);
    return m.isDefault ? -1 : i < 0 ? ORDER.length : i;
  };
  return [...methods]
    .sort((a, b) => rank(a) - rank(b))
    .map((m) => {
      const model = m.model ? (models.find((x) => x.id === m.model) ?? null) : null;
      // Installed per the model list already (a refresh of the methods is on its way): usable.
      const method = model?.installed ? { ...m, installed: true } : m;
      // A download that already installed the model is over, whatever its last event said.
      const download = m.model && !method.installed ? (downloads[m.model] ?? null) : null;
      return {
        id: m.id,
        name: methodName(m.id, m.label),
        isDefault: m.isDefault,
        selected: m.id === selectedId,
        availability: availabilityOf(method, model, download),
        model,
        download,
      };
    });
}

/** Bytes as the host's CLI writes them (decimal units): 208 044 816 → "208 MB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.max(0, Math.round(bytes))} B`;
}

/** What a download has fetched so far, from its progress and the model's size. */
export function downloadedBytes(download: Pick<DownloadView, 'progress'>, model: Pick<ModelInfo, 'bytes'>): number {
  return Math.round(Math.min(1, Math.max(0, download.progress)) * model.bytes);
}

/** Re-hashing a file already on disk (a resume, or a model another tool put there) rather than fetching. */
export function isChecking(download: Pick<DownloadView, 'message'>): boolean {
  return /^checking\b/i.test(download.message ?? '');
}
