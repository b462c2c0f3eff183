import { useEditor } from '../../app/editor-context';
import { save } from '../../editor/project-io';
import { useT } from '../../i18n/i18n-context';
import { Modal } from '../Modal';

/** Unsaved changes would be replaced: save first, continue anyway, or cancel. */
export function ConfirmDiscardDialog({ name, proceed, onClose }: { name: string; proceed: () => void; onClose: () => void }) {
  const ed = useEditor();
  const t = useT();
  return (
    <Modal
      title={t('confirm.discardTitle')}
      onClose={onClose}
      testId="confirm-discard-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button
            type="button"
            className="btn danger"
            onClick={() => {
              onClose();
              proceed();
            }}
            data-testid="confirm-discard"
          >
            {t('confirm.discard')}
          </button>
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              onClose();
              void save(ed, { then: proceed });
            }}
            data-testid="confirm-save"
          >
            {t('confirm.saveFirst')}
          </button>
        </>
      }
    >
      <p>{t('confirm.discardBody', { name: name || t('app.untitled') })}</p>
    </Modal>
  );
}
