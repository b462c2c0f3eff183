import { ListChecks } from 'lucide-react';
import { useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useEditor, useSession } from '../../app/editor-context';
import { Tooltip } from '../../components/Tooltip';
import { useT } from '../../i18n/i18n-context';
import { splitJobs } from './jobs-model';
import './jobs.css';
import { JOBS_PANEL_ID, JobsPanel } from './JobsPanel';
import { useJobs } from './use-jobs';

/** Top-bar entry point: shows how many jobs are in progress and opens the Jobs drawer. */
export function JobsButton() {
  const ed = useEditor();
  const t = useT();
  const connected = useSession((s) => s.connection === 'connected');
  const view = useJobs(ed.api, connected);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const activeCount = splitJobs(view.jobs ?? []).active.length;
  const label = activeCount > 0 ? t('jobs.openActive', { count: activeCount }) : t('jobs.open');
  const close = () => {
    setOpen(false);
    // Back to where the user came from, for keyboard users.
    button.current?.focus();
  };
  return (
    <>
      <Tooltip label={label} hint={t('jobs.openHint')} placement="bottom-end">
        <button
          ref={button}
          type="button"
          className={`icon-btn jobs-button${open ? ' active' : ''}`}
          aria-label={label}
          aria-expanded={open}
          aria-controls={open ? JOBS_PANEL_ID : undefined}
          onClick={() => (open ? close() : setOpen(true))}
          data-testid="open-jobs"
        >
          <ListChecks size={18} strokeWidth={1.8} />
          {activeCount > 0 ? (
            <span className="jobs-button-count" aria-hidden data-testid="jobs-active-count">
              {activeCount}
            </span>
          ) : null}
        </button>
      </Tooltip>
      {/* A drawer over the page, not inside the top bar's layout. */}
      {open ? createPortal(<JobsPanel view={view} onClose={close} />, document.body) : null}
    </>
  );
}
