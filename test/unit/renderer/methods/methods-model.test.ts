import { describe, expect, it } from 'vitest';
import { invokeChannels } from '../../../../preload/contract/channels';
import { downloadedBytes, formatSize, isChecking, madeByName, methodOfMadeBy, methodRows, type MethodInfo, type ModelInfo } from '../../../../renderer/src/panels/methods/methods-model';

// What the embedded engine lists (labels are the host's English ones), through the contract's schema.
const METHODS: MethodInfo[] = invokeChannels.listInpaintMethods.response.parse([
  { id: 'telea', label: 'Fast (Telea)', isDefault: false },
  { id: 'smooth', label: 'Smooth (multi-scale)', isDefault: false },
  { id: 'patchmatch', label: 'PatchMatch (texture)', isDefault: true },
  { id: 'lama', label: 'LaMa (AI)', isDefault: false, model: 'lama', installed: false },
]);
const LAMA: ModelInfo = invokeChannels.listModels.response.parse([
  { id: 'lama', title: 'LaMa (big-lama, ONNX)', licence: 'Apache-2.0', bytes: 208_044_816, installed: false, state: 'missing', ramMb: 1400, vramMb: 1600 },
])[0]!;

describe('the erase method menu', () => {
  it('lists the default first, names methods by their proper names, and marks the chosen one', () => {
    const rows = methodRows(METHODS, [LAMA], 'telea', {});
    expect(rows.map((r) => [r.id, r.name, r.selected])).toEqual([
      ['patchmatch', 'PatchMatch', false],
      ['telea', 'Telea', true],
      ['smooth', 'Smooth', false],
      ['lama', 'LaMa', false],
    ]);
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual(['patchmatch']);
  });

  it('LaMa needs a download until installed, shows its download while one runs, and is ready once installed', () => {
    const lama = (methods: MethodInfo[], models: ModelInfo[], downloads = {}) => methodRows(methods, models, 'patchmatch', downloads).find((r) => r.id === 'lama')!;
    expect(lama(METHODS, [LAMA])).toMatchObject({ availability: 'needs-download', model: LAMA, download: null });
    const running = { jobId: 'j1', phase: 'running' as const, progress: 0.2, message: '41 MB of 208 MB' };
    expect(lama(METHODS, [LAMA], { lama: running })).toMatchObject({ availability: 'downloading', download: running });
    // Installed per the fresh model list, before the method list caught up: usable, the finished download forgotten.
    expect(lama(METHODS, [{ ...LAMA, installed: true, state: 'installed' }], { lama: running })).toMatchObject({ availability: 'ready', download: null });
    const installed = METHODS.map((m) => (m.id === 'lama' ? { ...m, installed: true } : m));
    expect(lama(installed, [])).toMatchObject({ availability: 'ready' });
    // A host without a model store lists no models: LaMa cannot be fetched from here.
    expect(lama(METHODS, [])).toMatchObject({ availability: 'unavailable', model: null });
    // Built-in methods are always ready.
    expect(methodRows(METHODS, [], 'patchmatch', {}).filter((r) => r.id !== 'lama').every((r) => r.availability === 'ready')).toBe(true);
  });

  it('says which method made a result', () => {
    expect(madeByName('inpaint:lama')).toBe('LaMa');
    expect(madeByName('inpaint:patchmatch')).toBe('PatchMatch');
    expect(madeByName('inpaint:sdxl', [{ id: 'sdxl', label: 'SDXL refine' }])).toBe('SDXL refine');
    expect(madeByName('inpaint:new-thing')).toBe('new-thing');
    expect(madeByName('original')).toBeNull();
    expect(madeByName('inpaint')).toBeNull();
    expect(methodOfMadeBy(undefined)).toBeNull();
  });

  it('sizes read like the CLI (decimal units), and progress turns into bytes of the model', () => {
    expect(formatSize(208_044_816)).toBe('208 MB');
    expect(formatSize(3_200_000)).toBe('3 MB');
    expect(formatSize(41_500)).toBe('42 kB');
    expect(formatSize(2_500_000_000)).toBe('2.5 GB');
    expect(formatSize(12)).toBe('12 B');
    expect(downloadedBytes({ progress: 0.2 }, LAMA)).toBe(41_608_963);
    expect(downloadedBytes({ progress: 1.5 }, LAMA)).toBe(LAMA.bytes);
    expect(isChecking({ message: 'Checking 41 MB of 208 MB' })).toBe(true);
    expect(isChecking({ message: '41 MB of 208 MB' })).toBe(false);
  });
});
