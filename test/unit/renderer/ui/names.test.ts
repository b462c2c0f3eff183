import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../../../renderer/src/editor/export-io';
import { baseName, isOpenableImage } from '../../../../renderer/src/editor/open-image';
import { cleanProjectName } from '../../../../renderer/src/editor/project-io';
import { nextBrushSize, BRUSH_MAX, BRUSH_MIN } from '../../../../renderer/src/editor/session-state';
import { createStateStore } from '../../../../renderer/src/editor/state-store';

describe('names and small rules', () => {
  it('document titles drop the extension, keep dots inside', () => {
    expect(baseName('photo.final.JPG')).toBe('photo.final');
    expect(baseName('/tmp/x/여름 세일.png')).toBe('여름 세일');
    expect(baseName('.hidden')).toBe('.hidden');
  });

  it('accepts PNG/JPEG/WebP by type or extension only', () => {
    expect(isOpenableImage({ type: 'image/png', name: 'a' })).toBe(true);
    expect(isOpenableImage({ type: '', name: 'a.JPEG' })).toBe(true);
    expect(isOpenableImage({ type: 'image/gif', name: 'a.gif' })).toBe(false);
    expect(isOpenableImage({ type: 'application/pdf', name: 'a.pdf' })).toBe(false);
  });

  it('project names typed in the save dialog cannot escape the projects folder', () => {
    expect(cleanProjectName('../../etc/passwd')).toBe('.. .. etc passwd');
    expect(cleanProjectName('  여름 세일 배너.adstudio ')).toBe('여름 세일 배너');
    expect(cleanProjectName('a\u0000b\nc')).toBe('a b c');
    expect(cleanProjectName('x'.repeat(300))).toHaveLength(120);
  });

  it('download names come from the written path', () => {
    expect(fileNameOf('/data/exports/%EC%84%B8%EC%9D%BC.png', 'x')).toBe('세일.png');
    expect(fileNameOf('C:\\out\\ad.jpg', 'x')).toBe('ad.jpg');
    expect(fileNameOf('/downloads/abc.webp?x=1', 'x')).toBe('abc.webp');
    expect(fileNameOf('', 'fallback.png')).toBe('fallback.png');
  });

  it('[ and ] change the brush size in useful steps within limits', () => {
    expect(nextBrushSize(5, 1)).toBe(6);
    expect(nextBrushSize(40, 1)).toBe(45);
    expect(nextBrushSize(200, -1)).toBe(175);
    expect(nextBrushSize(BRUSH_MIN, -1)).toBe(BRUSH_MIN);
    expect(nextBrushSize(BRUSH_MAX, 1)).toBe(BRUSH_MAX);
  });

  it('session state notifies only on real changes', () => {
    const s = createStateStore({ a: 1, b: 'x' });
    let n = 0;
    s.subscribe(() => n++);
    s.set({ a: 1 });
    expect(n).toBe(0);
    s.set((st) => ({ a: st.a + 1 }));
    expect(n).toBe(1);
    expect(s.get()).toEqual({ a: 2, b: 'x' });
  });
});
