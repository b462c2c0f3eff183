import { ImagePlus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { CanvasView } from '../canvas/CanvasView';
import { handleShortcut } from '../editor/keyboard';
import { importMaskFile } from '../editor/mask-actions';
import { imageFromTransfer, openImageFile } from '../editor/open-image';
import { checkRecovery } from '../editor/project-io';
import { useT } from '../i18n/i18n-context';
import { SidePanel } from '../panels/SidePanel';
import { ConnectionBanner } from './ConnectionBanner';
import { DialogHost } from './DialogHost';
import { useDocVersion, useEditor, useSession } from './editor-context';
import { Notices } from './Notices';
import { StatusBar } from './StatusBar';
import { ToolRail } from './ToolRail';
import { TopBar } from './TopBar';
import { Welcome } from './Welcome';

const ACCEPT = 'image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp';

/** The window: top bar, tool rail, canvas, side panel, status bar; global keys, drop and paste. */
export function EditorShell() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const hasDocument = useSession((s) => s.hasDocument);
  const imageInput = useRef<HTMLInputElement>(null);
  const maskInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  // Actions ask for files through these hidden inputs (browser mode; also what tests drive).
  useEffect(() => {
    ed.ui.pickFile = (kind) => (kind === 'image' ? imageInput : maskInput).current?.click();
  }, [ed]);

  useEffect(() => {
    void checkRecovery(ed);
  }, [ed]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleShortcut(ed, e);
    const onPaste = (e: ClipboardEvent) => {
      if (ed.session.get().dialog) return;
      const file = imageFromTransfer(e.clipboardData);
      if (!file) return;
      e.preventDefault();
      void openImageFile(ed, file);
    };
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = imageFromTransfer(e.dataTransfer);
      if (file) void openImageFile(ed, file);
      else ed.notify('error', 'drop.onlyImages');
    };
    // Ctrl+wheel (and trackpad pinch) must never zoom the whole page, only the canvas.
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey) e.preventDefault();
    };
    // Leaving or hiding the page: write the autosave now rather than at the next interval.
    const onHide = () => void ed.flushAutosave();
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    window.addEventListener('pagehide', onHide);
    window.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      window.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('pagehide', onHide);
    };
  }, [ed]);

  // Window title: project name and an unsaved marker.
  const name = ed.displayName();
  const dirty = ed.isDirty();
  useEffect(() => {
    document.title = hasDocument ? `${dirty ? '● ' : ''}${name || t('app.untitled')} — adstudio` : 'adstudio';
  }, [hasDocument, name, dirty, t]);

  return (
    <>
      <div className={`shell${hasDocument ? '' : ' welcome-mode'}`}>
        <TopBar />
        {hasDocument ? (
          <>
            <ToolRail />
            <CanvasView />
            <SidePanel />
          </>
        ) : (
          <Welcome dragging={dragging} />
        )}
        <StatusBar />
      </div>
      <Notices wide={!hasDocument} />
      <ConnectionBanner />
      <DialogHost />
      {dragging && hasDocument ? (
        <div className="drop-overlay">
          <div className="inner">
            <ImagePlus size={22} />
            {t('drop.release')}
          </div>
        </div>
      ) : null}
      <input
        ref={imageInput}
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="open-image-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // choosing the same file again must fire change again
          if (file) void openImageFile(ed, file);
        }}
      />
      <input
        ref={maskInput}
        type="file"
        accept="image/png,.png"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="import-mask-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importMaskFile(ed, file);
        }}
      />
    </>
  );
}
