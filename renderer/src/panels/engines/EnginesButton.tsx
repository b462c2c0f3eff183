import { Server } from 'lucide-react';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useEditor, useSession } from '../../app/editor-context';
import { useT } from '../../i18n/i18n-context';
import { engineName } from '../job-engine/engine-name';
import { useJobEngine } from '../job-engine/use-job-engine';
import { EnginesPanel } from './EnginesPanel';
import { openEnginesPanel, useEnginesPanelOpen } from './open-engines';

/** Status-bar entry point; also hosts the panel, which the View menu opens through the same event. */
export function EnginesButton() {
  const ed = useEditor();
  const t = useT();
  const connected = useSession((s) => s.connection === 'connected');
  const jobEngine = useJobEngine(ed.api, connected);
  const [open, setOpen] = useEnginesPanelOpen();
  const [note, setNote] = useState(false);
  const active = jobEngine.view?.active;
  // Where new jobs run, when it is not the embedded engine: the status bar keeps it in sight.
  const label = note ? t('engines.embeddedNote') : active && active !== 'embedded' ? t('jobEngine.statusBar', { name: engineName(t, jobEngine.view, active) }) : t('engines.open');
  return (
    <>
      <button type="button" className="statusbar-button" onClick={openEnginesPanel} data-testid="open-engines">
        <Server size={12} aria-hidden />
        {label}
      </button>
      {/* Portalled: inside the status bar the panel would inherit its one-line text (nowrap) and cut words off. */}
      {open
        ? createPortal(
            <EnginesPanel
              onClose={() => setOpen(false)}
              onUseEmbedded={() => {
                // The offer after a GPU error: new jobs go to the embedded engine, kept as the choice.
                void jobEngine.choose('embedded');
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
