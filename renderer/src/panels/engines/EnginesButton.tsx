import { Server } from 'lucide-react';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../i18n/i18n-context';
import { EnginesPanel } from './EnginesPanel';
import { openEnginesPanel, useEnginesPanelOpen } from './open-engines';

/** Status-bar entry point; also hosts the panel, which the View menu opens through the same event. */
export function EnginesButton() {
  const t = useT();
  const [open, setOpen] = useEnginesPanelOpen();
  const [note, setNote] = useState(false);
  return (
    <>
      <button type="button" className="statusbar-button" onClick={openEnginesPanel} data-testid="open-engines">
        <Server size={12} aria-hidden />
        {note ? t('engines.embeddedNote') : t('engines.open')}
      </button>
      {/* Portalled: inside the status bar the panel would inherit its one-line text (nowrap) and cut words off. */}
      {open
        ? createPortal(
            <EnginesPanel
              onClose={() => setOpen(false)}
              onUseEmbedded={() => {
                setOpen(false);
                setNote(true);
              }}
            />,
            document.body,
          )
        : null}
    </>
  );
}
