import { useCallback } from 'react';
import { ConfirmDiscardDialog } from '../components/dialogs/ConfirmDiscardDialog';
import { ExportDialog } from '../components/dialogs/ExportDialog';
import { OpenProjectDialog } from '../components/dialogs/OpenProjectDialog';
import { RecoverDialog } from '../components/dialogs/RecoverDialog';
import { SaveDialog } from '../components/dialogs/SaveDialog';
import { SettingsDialog } from '../components/dialogs/SettingsDialog';
import { useEditor, useSession } from './editor-context';

/** The one open dialog (session state), if any. */
export function DialogHost() {
  const ed = useEditor();
  const dialog = useSession((s) => s.dialog);
  const close = useCallback(() => ed.session.set({ dialog: null }), [ed]);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'settings':
      return <SettingsDialog onClose={close} />;
    case 'export':
      return <ExportDialog onClose={close} />;
    case 'save':
      return <SaveDialog onClose={close} then={dialog.then} />;
    case 'open-project':
      return <OpenProjectDialog onClose={close} />;
    case 'recover':
      return <RecoverDialog sessions={dialog.sessions} onClose={close} />;
    case 'confirm-discard':
      return <ConfirmDiscardDialog name={dialog.name} proceed={dialog.proceed} onClose={close} />;
  }
}
