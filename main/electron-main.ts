import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, protocol } from 'electron';
import { createDockerEngines } from './adapters/docker-engines.js';
import { createElectronDialogs } from './adapters/electron-dialogs.js';
import { createMainWindow } from './app/create-window.js';
import { registerAppScheme, serveAppProtocol } from './app/protocol.js';
import { installOrderedShutdown } from './app/shutdown.js';
import { acquireSingleInstance } from './app/single-instance.js';
import { resolveServicePaths } from './core/paths/default-paths.js';
import { openServicesModelStore } from './core/models/model-handlers.js';
import { createServices } from './core/services.js';
import { createEmbeddedInpaintEngine } from './engine/embedded-inpaint-engine.js';
import { createTextDetector } from './engine/detect-text/index.js';
import { createTextReader } from './engine/read-text/index.js';
import { createAppJobs, createEmbeddedScheduler } from './engine/app-schedulers.js';
import { TrustedSenders, registerIpc } from './ipc/register-ipc.js';

/*
 * Composition root of the desktop app: wires Electron to the plain-Node services. No logic here;
 * each piece lives (and is tested) in main/app, main/ipc and main/adapters.
 * Bundled to dist/main/electron-main.mjs; the preload and renderer sit next to it in dist/.
 */
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));

app.enableSandbox();
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;

if (acquireSingleInstance(app, () => mainWindow)) {
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`adstudio: could not start: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
      dialog.showErrorBox('adstudio could not start / adstudio를 시작할 수 없습니다', message);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const paths = resolveServicePaths(process.env.ADSTUDIO_HOME || app.getPath('userData'));
  const inpaintEngine = createEmbeddedInpaintEngine();
  // Closed by services.dispose() in the ordered shutdown; a daemon that is down only shows in the panel.
  const engines = await createDockerEngines({
    dataDir: paths.dataDir,
    version: app.getVersion(),
    // A packaged app has no Dockerfile to build from; it uses a pulled or prebuilt image.
    packageRoot: app.isPackaged ? null : app.getAppPath(),
    distDir: fileURLToPath(new URL('.', import.meta.url)),
    log: (m) => process.stderr.write(`adstudio: ${m}\n`),
  });
  // The stage scheduler: erases are its interactive jobs (Jobs panel); a container engine chosen in the
  // Engines panel takes new jobs while it is healthy. Closed by services.dispose().
  const schedulerOptions = { dataDir: paths.dataDir, version: app.getVersion(), inpaint: inpaintEngine, log: (m: string) => process.stderr.write(`adstudio: jobs: ${m}\n`) };
  const base = await createEmbeddedScheduler(schedulerOptions);
  const { scheduler, jobEngine } = await createAppJobs({ ...schedulerOptions, engines, base });
  const services = await createServices({
    mode: 'electron',
    version: app.getVersion(),
    osLocale: app.getSystemLocale() || app.getLocale(),
    paths,
    dialogs: createElectronDialogs(dialog, () => mainWindow),
    inpaintEngine,
    scheduler,
    jobEngine,
    models: openServicesModelStore(),
    // Loads its model in a worker on first use; closed (worker drained first) by services.dispose().
    textDetector: createTextDetector(),
    // Tesseract starts on the first detection (kor+eng data from the npm packages, offline).
    textReader: createTextReader(),
    ...(engines ? { engines } : {}),
  });
  serveAppProtocol(protocol, { staticDir: rendererDir, services });

  const trusted = new TrustedSenders();
  const unregisterIpc = registerIpc({ ipcMain, handlers: services.handlers, trusted, onEvent: (sink) => services.onEvent(sink) });

  installOrderedShutdown(app, [
    { name: 'stop IPC', run: unregisterIpc },
    { name: 'services (jobs, engine, engine containers)', run: () => services.dispose() },
  ]);

  const openWindow = () => {
    const win = createMainWindow(BrowserWindow, { preloadPath });
    trusted.add(win.webContents);
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };
  openWindow();

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
}
