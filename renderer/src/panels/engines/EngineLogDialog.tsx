import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/i18n-context';
import { appendLive, canLoadMore, FIRST_PAGE, formatLogLine, nextLimit } from './log-pages';
import type { EngineLogLine } from './use-engines';

/**
 * One engine's log as the files on disk hold it (rotated ones too): the last 2000 lines first, then
 * earlier ones on request; new lines join live. Opens at the newest line and follows new ones while
 * scrolled to the end; earlier lines loaded above keep the lines in view where they were.
 */
export function EngineLogDialog({ api, profile, title, onClose }: { api: AdstudioApi; profile: string; title: string; onClose(): void }) {
  const t = useT();
  const [limit, setLimit] = useState(FIRST_PAGE);
  const [lines, setLines] = useState<EngineLogLine[] | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pre = useRef<HTMLPreElement>(null);
  const scroll = useRef({ atEnd: true, fromEnd: 0 });
  /** The next lines are a page answer (earlier lines above), not a live line below. */
  const paged = useRef(false);

  // Each page is asked afresh (the newest `limit` lines): the files rotate, so offsets would drift.
  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.getEngineLogs({ profile, limit }).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) {
        paged.current = true;
        setLines(r.value.lines);
        setMore(r.value.more ?? false);
        setFile(r.value.file);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, profile, limit]);

  useEffect(() => api.on('engineLog', (line) => line.profile === profile && setLines((l) => appendLive(l, line, limit))), [api, profile, limit]);

  useLayoutEffect(() => {
    const el = pre.current;
    if (el && scroll.current.atEnd) el.scrollTop = el.scrollHeight;
    else if (el && paged.current) el.scrollTop = el.scrollHeight - scroll.current.fromEnd;
    paged.current = false;
  }, [lines]);

  const onScroll = () => {
    const el = pre.current;
    if (!el) return;
    const fromEnd = el.scrollHeight - el.scrollTop;
    scroll.current = { atEnd: fromEnd - el.clientHeight < 24, fromEnd };
  };

  return (
    <Modal title={t('engines.logsTitle', { name: title })} onClose={onClose} wide testId="engine-log-dialog">
      {error ? <p className="engine-error">{t('engines.failed', { message: error })}</p> : null}
      {lines === null && !error ? <p>{t('engines.loading')}</p> : null}
      {lines?.length === 0 ? <p className="engine-dim">{t('engines.logsEmpty')}</p> : null}
      {lines && lines.length > 0 ? (
        <>
          <div className="engine-log-more">
            <span className="engine-dim" data-testid="engine-log-count" data-count={lines.length}>
              {t('engines.logsShown', { count: lines.length })}
            </span>
            {canLoadMore(limit, more) ? (
              <button type="button" className="btn small" disabled={loading} onClick={() => setLimit(nextLimit(limit))} data-testid="engine-log-more">
                {loading ? `${t('engines.logsMore')}…` : t('engines.logsMore')}
              </button>
            ) : null}
          </div>
          <pre className="engine-log-full" ref={pre} onScroll={onScroll} data-testid="engine-log-lines">
            {lines.map(formatLogLine).join('\n')}
          </pre>
        </>
      ) : null}
      {file ? <p className="engine-dim mono">{t('engines.logFile', { file })}</p> : null}
    </Modal>
  );
}
