import { UploadCloud } from 'lucide-react';
import { useT } from '../i18n/i18n-context';
import { useSession } from './editor-context';

/** "3.4 MB" (sizes of files on their way to the host). */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** While an action waits for a background upload (e.g. Erase right after opening a big photo). */
export function UploadToast() {
  const t = useT();
  const waiting = useSession((s) => s.waitingForUploads);
  const uploads = useSession((s) => s.uploads);
  if (!waiting || uploads.count === 0) return null;
  return (
    <div className="toast job" role="status" data-testid="upload-toast">
      <UploadCloud size={18} color="var(--accent-text)" />
      <div className="body">
        <div className="title">{t('upload.waiting')}</div>
        <div className="progress indeterminate" role="progressbar" aria-label={t('upload.waiting')}>
          <div />
        </div>
        <div className="detail">{t('upload.waitingDetail', { size: formatMegabytes(uploads.bytes) })}</div>
      </div>
    </div>
  );
}
