import type { BrowserWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createElectronDialogs } from '../../../../main/adapters/electron-dialogs.js';
import type { DialogApi } from '../../../../main/adapters/electron-dialogs.js';

function fakeDialog(answer: { canceled: boolean; filePaths?: string[]; filePath?: string }) {
  const calls: Array<{ window: unknown; options: OpenDialogOptions | SaveDialogOptions }> = [];
  const record = (a: unknown, b?: unknown) => {
    const [window, options] = b === undefined ? [undefined, a] : [a, b];
    calls.push({ window, options: options as OpenDialogOptions });
  };
  const dialog = {
    showOpenDialog: async (a: unknown, b?: unknown) => (record(a, b), { canceled: answer.canceled, filePaths: answer.filePaths ?? [] }),
    showSaveDialog: async (a: unknown, b?: unknown) => (record(a, b), { canceled: answer.canceled, filePath: answer.filePath ?? '' }),
  } as unknown as DialogApi;
  return { dialog, calls };
}

const win = { id: 1 } as unknown as BrowserWindow;

describe('Electron dialogs adapter', () => {
  it('opens images with PNG/JPEG/WebP filters, attached to the window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/photos/a.jpg'] });
    expect(await createElectronDialogs(dialog, () => win).openImage('image')).toBe('/photos/a.jpg');
    expect(calls[0]?.window).toBe(win);
    expect(calls[0]?.options.filters).toEqual([{ name: expect.any(String), extensions: ['png', 'jpg', 'jpeg', 'webp'] }]);
  });

  it('returns null when cancelled', async () => {
    const { dialog } = fakeDialog({ canceled: true, filePaths: ['/ignored.png'] });
    const port = createElectronDialogs(dialog, () => null);
    expect(await port.openImage('mask')).toBeNull();
    expect(await port.openProject('/p')).toBeNull();
    expect(await port.saveProject('/p/x.adstudio')).toBeNull();
    expect(await port.saveExport('/p/x.png', 'png')).toBeNull();
  });

  it('offers .adstudio for projects and adds a missing extension', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePath: '/p/my ad' });
    expect(await createElectronDialogs(dialog, () => null).saveProject('/p/untitled.adstudio')).toBe('/p/my ad.adstudio');
    expect(calls[0]?.window).toBeUndefined();
    expect(calls[0]?.options).toMatchObject({ defaultPath: '/p/untitled.adstudio', filters: [{ extensions: ['adstudio'] }] });
  });

  it('filters exports by format and keeps a matching extension', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePath: '/out/ad.JPG' });
    expect(await createElectronDialogs(dialog, () => win).saveExport('/out/ad.jpg', 'jpeg')).toBe('/out/ad.JPG');
    expect(calls[0]?.options.filters).toEqual([{ name: 'JPEG', extensions: ['jpg', 'jpeg'] }]);
    const webp = fakeDialog({ canceled: false, filePath: '/out/ad.png' });
    expect(await createElectronDialogs(webp.dialog, () => win).saveExport('/out/ad.webp', 'webp')).toBe('/out/ad.png.webp');
  });
});
