import { extname } from 'node:path';
import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { DialogPort } from '../core/services-types.js';

/** The two dialog functions DialogPort needs; Electron's `dialog` fits, tests pass a fake. */
export type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

const IMAGE_FILTER = { name: 'Images (PNG, JPEG, WebP)', extensions: ['png', 'jpg', 'jpeg', 'webp'] };
const PROJECT_FILTER = { name: 'adstudio project', extensions: ['adstudio'] };
const EXPORT_FILTERS: Record<'png' | 'jpeg' | 'webp', { name: string; extensions: string[] }> = {
  png: { name: 'PNG', extensions: ['png'] },
  jpeg: { name: 'JPEG', extensions: ['jpg', 'jpeg'] },
  webp: { name: 'WebP', extensions: ['webp'] },
};

/** Native open/save dialogs, attached to the main window when there is one. null = cancelled. */
export function createElectronDialogs(dialog: DialogApi, getWindow: () => BrowserWindow | null): DialogPort {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const save = async (options: SaveDialogOptions, extensions: readonly string[]): Promise<string | null> => {
    const win = getWindow();
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    // Linux dialogs do not always add the extension of the chosen filter.
    const ext = extname(result.filePath).slice(1).toLowerCase();
    return extensions.includes(ext) ? result.filePath : `${result.filePath}.${extensions[0]}`;
  };

  return {
    openImage: (kind) =>
      open({ title: kind === 'mask' ? '마스크 열기 / Open mask' : '이미지 열기 / Open image', properties: ['openFile'], filters: [IMAGE_FILTER] }),
    openProject: (defaultDir) =>
      open({ title: '프로젝트 열기 / Open project', defaultPath: defaultDir, properties: ['openFile'], filters: [PROJECT_FILTER] }),
    saveProject: (defaultPath) =>
      save({ title: '프로젝트 저장 / Save project', defaultPath, filters: [PROJECT_FILTER], properties: ['createDirectory', 'showOverwriteConfirmation'] }, PROJECT_FILTER.extensions),
    saveExport: (defaultPath, format) =>
      save({ title: '내보내기 / Export', defaultPath, filters: [EXPORT_FILTERS[format]], properties: ['createDirectory', 'showOverwriteConfirmation'] }, EXPORT_FILTERS[format].extensions),
  };
}
