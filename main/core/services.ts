import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError, type EventSink, type Handlers } from '../../preload/contract/index.js';
import { AssetStore } from './assets/asset-store.js';
import { readImageFile } from './assets/read-image-file.js';
import { openProjectFile, saveProjectFile } from './documents/project-file.js';
import { listProjects } from './documents/project-list.js';
import { ProjectLocations } from './documents/project-locations.js';
import { RecoveryStore } from './documents/recovery.js';
import { engineHandlers } from './engines/engine-handlers.js';
import { ExportWriter } from './export/export-writer.js';
import { BackgroundJobs } from './jobs/background-jobs.js';
import { CutoutJobs } from './jobs/cutout-jobs.js';
import { DetectTextJobs } from './jobs/detect-text-jobs.js';
import { InpaintJobs } from './jobs/inpaint-jobs.js';
import { jobEngineHandlers } from './jobs/job-engine-handlers.js';
import { scheduledTargetOf, schedulerHandlers } from './jobs/scheduler-handlers.js';
import { modelHandlers } from './models/model-handlers.js';
import { AllowedRoots } from './paths/allowed-roots.js';
import type { Services, ServicesOptions } from './services-types.js';
import { SettingsStore, defaultSettings } from './settings/settings-store.js';

/**
 * The main-side services behind the IPC contract, in plain Node. Electron IPC, the browser bridge
 * (WebSocket), the CLI and tests all call these handlers; none of them sees Electron.
 */
export async function createServices(opts: ServicesOptions): Promise<Services> {
  const { paths, inpaintEngine: engine } = opts;
  // Native dialogs only exist in the desktop app; without them every target is chosen by us.
  const dialogs = opts.mode === 'electron' ? opts.dialogs : undefined;
  await Promise.all([paths.dataDir, paths.assetsDir, paths.recoveryDir, paths.projectsDir].map((d) => mkdir(d, { recursive: true })));

  const sinks = new Set<EventSink>();
  const emit: EventSink = (event, payload) => {
    for (const sink of sinks) {
      try {
        sink(event, payload);
      } catch (e) {
        console.warn(`services: an event listener failed on ${event}: ${(e as Error).message}`);
      }
    }
  };

  const methods = () => engine.methods();
  const defaultMethod = methods().find((m) => m.isDefault)?.id ?? methods()[0]?.id ?? 'default';
  const store = new AssetStore(paths.assetsDir);
  const settings = await SettingsStore.open(paths.settingsFile, defaultSettings(defaultMethod));
  const recovery = new RecoveryStore(paths.recoveryDir, store);
  // With a scheduler that has a workspace, erases are its interactive jobs (Jobs panel, ahead of batch work).
  // The target is asked per job: the engine new jobs run on may change (Engines panel, "Run jobs on").
  const scheduledTarget = scheduledTargetOf(opts.scheduler);
  const jobs = new InpaintJobs(store, engine, emit, scheduledTarget);
  // The product-ad jobs follow the erase: scheduler jobs when there is a workspace, else in process.
  const cutoutJobs = new CutoutJobs(store, emit, opts.cutout, scheduledTarget);
  const backgroundJobs = new BackgroundJobs(store, emit, opts.backgrounds, scheduledTarget);
  const detectJobs = opts.textDetector ? new DetectTextJobs(store, opts.textDetector, emit, opts.textReader) : null;
  const roots = new AllowedRoots();
  roots.add(paths.projectsDir);
  const locations = new ProjectLocations(paths.projectsDir, roots, dialogs);
  const exporter = new ExportWriter({
    store,
    projectsDir: paths.projectsDir,
    exportsDir: paths.exportsDir,
    ...(dialogs ? { dialogs } : {}),
    ...(opts.downloadUrl ? { downloadUrl: opts.downloadUrl } : {}),
  });

  const engines = engineHandlers(opts.engines, emit);
  const schedulerJobs = schedulerHandlers(opts.scheduler, emit);
  const jobEngine = jobEngineHandlers(opts.jobEngine, opts.scheduler, emit);
  const modelJobs = modelHandlers(opts.models, emit);

  const handlers: Handlers = {
    ...engines.handlers,
    ...schedulerJobs.handlers,
    ...jobEngine.handlers,
    ...modelJobs.handlers,
    async getAppInfo() {
      return { version: opts.version, mode: opts.mode, osLocale: opts.osLocale, platform: process.platform, projectsDir: paths.projectsDir };
    },
    async getSettings() {
      return settings.get();
    },
    async updateSettings(patch) {
      if (patch.inpaintMethod !== undefined && !methods().some((m) => m.id === patch.inpaintMethod)) {
        throw new AppError('bad-request', `Unknown erase method "${patch.inpaintMethod}"`);
      }
      return settings.update(patch);
    },

    async putAsset({ kind, bytes, name }) {
      return store.put(bytes, kind, name);
    },
    async getAssetInfo({ hash }) {
      return store.require(hash, 'asset');
    },
    async openImageDialog({ kind }) {
      if (!dialogs) throw new AppError('unsupported', 'There is no native file dialog here; choose the file in the browser instead');
      const path = await dialogs.openImage(kind);
      if (!path) return null;
      const name = basename(path);
      return { asset: await store.put(await readImageFile(path, `"${name}"`), kind, name), name };
    },

    async listInpaintMethods() {
      // A method that runs a downloadable model says which, and whether it is installed (the Erase method panel).
      return methods().map(({ id, label, isDefault, model, installed }) => ({ id, label, isDefault, ...(model ? { model, installed: installed === true } : {}) }));
    },
    async startInpaint({ image, mask, method }) {
      // The setting may name a method this engine does not offer (engine changed): use its default.
      const preferred = method ?? settings.get().inpaintMethod;
      const known = methods().some((m) => m.id === preferred);
      return jobs.start({ image, mask, ...(method || known ? { method: preferred } : {}) });
    },
    async startDetectText({ image }) {
      if (!detectJobs) throw new AppError('unsupported', 'Text detection is not available in this build of adstudio (no text detector was set up)');
      return detectJobs.start({ image });
    },
    async startCutout({ image, mask }) {
      return cutoutJobs.start({ image, ...(mask ? { mask } : {}) });
    },
    async startBackgrounds(request) {
      return backgroundJobs.start(request);
    },
    async cancelJob({ jobId }) {
      // Job ids are UUIDs, so asking the detection jobs first never steals an erase job's cancel.
      if (detectJobs?.has(jobId)) return detectJobs.cancel(jobId);
      if (cutoutJobs.has(jobId)) return cutoutJobs.cancel(jobId);
      if (backgroundJobs.has(jobId)) return backgroundJobs.cancel(jobId);
      if (modelJobs.has(jobId)) return modelJobs.cancel(jobId);
      const erase = jobs.cancel(jobId);
      if (erase.cancelled) return erase;
      // Then the scheduler's jobs (Jobs panel); an id nobody knows answers false, as it always did.
      return (await schedulerJobs.cancel(jobId)) ?? erase;
    },

    async saveProject({ document, path, saveAs, name }) {
      const target = await locations.saveTarget(document, { path, saveAs: saveAs ?? false, name });
      if (!target) return null;
      await saveProjectFile(target.ioPath, document, store, opts.version);
      return { path: target.path };
    },
    async openProject({ path }) {
      const chosen = await locations.openTarget(path);
      if (!chosen) return null;
      const opened = await openProjectFile(chosen.ioPath, store);
      return { path: chosen.path, ...opened };
    },
    async listProjects() {
      return listProjects(paths.projectsDir);
    },

    async autosave({ sessionId, document, path, dirty }) {
      return recovery.autosave(sessionId, document, path, dirty);
    },
    async listRecoverable() {
      return recovery.listRecoverable();
    },
    async recoverSession({ sessionId }) {
      return recovery.recover(sessionId);
    },
    async discardRecovery({ sessionId }) {
      await recovery.discard(sessionId);
      return {};
    },

    async exportImage({ document, format, quality, name }) {
      return exporter.exportImage({ document, format, ...(quality !== undefined ? { quality } : {}), ...(name !== undefined ? { name } : {}) });
    },
    async exportRendered({ bytes, format, width, height, name }) {
      return exporter.exportRendered({ bytes, format, width, height, ...(name !== undefined ? { name } : {}) });
    },
    async exportMask({ mask, name }) {
      return exporter.exportMask({ mask, ...(name !== undefined ? { name } : {}) });
    },
  };

  let disposed: Promise<void> | null = null;
  return {
    handlers,
    onEvent(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    assetFile: (hash) => store.file(hash),
    dispose() {
      disposed ??= (async () => {
        await Promise.all([jobs.dispose(), detectJobs?.dispose(), modelJobs.dispose(), cutoutJobs.dispose(), backgroundJobs.dispose()]);
        // No new connection to a container engine once shutting down; then the schedulers close.
        await jobEngine.dispose().catch((e: unknown) => console.warn(`services: closing the job engine choice failed: ${(e as Error).message}`));
        // Before the erase engine: the scheduler's engine may hand stages to it (one worker pool).
        await schedulerJobs.dispose().catch((e: unknown) => console.warn(`services: closing the job scheduler failed: ${(e as Error).message}`));
        await engine.close();
        // After its jobs have ended: the detector drains ONNX Runtime work before ending its worker.
        await opts.cutout?.close().catch((e: unknown) => console.warn(`services: closing the cut-out engine failed: ${(e as Error).message}`));
        await opts.backgrounds?.close().catch((e: unknown) => console.warn(`services: closing the background engine failed: ${(e as Error).message}`));
        await opts.textDetector?.close().catch((e: unknown) => console.warn(`services: closing the text detector failed: ${(e as Error).message}`));
        await opts.textReader?.close().catch((e: unknown) => console.warn(`services: closing the text reader failed: ${(e as Error).message}`));
        await engines.dispose().catch((e: unknown) => console.warn(`services: closing the engine manager failed: ${(e as Error).message}`));
        sinks.clear();
      })();
      return disposed;
    },
  };
}
