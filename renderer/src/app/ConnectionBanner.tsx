import { useT } from '../i18n/i18n-context';
import { useSession } from './editor-context';

/** Browser mode lost its server: say so, and that nothing is lost. */
export function ConnectionBanner() {
  const t = useT();
  const connection = useSession((s) => s.connection);
  if (connection === 'connected') return null;
  return (
    <div className="banner" role="status" data-testid="connection-banner">
      <span className="spinner" />
      <span>
        {connection === 'unauthorized' ? t('conn.unauthorized') : t('conn.lost')} <span className="sub">{t('conn.lostHint')}</span>
      </span>
    </div>
  );
}
