import { Megaphone } from 'lucide-react';
import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { Tooltip } from '../../components/Tooltip';
import { canMakeAd, makeAd } from '../../editor/ad/ad-flow-make-ad';
import { isAdDocument } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';

/** "Make ad" (top bar, photo documents only): cut-out → backgrounds → ad, in one click. */
export function MakeAdButton() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  useSession((s) => s.job);
  useSession((s) => s.compare);
  useSession((s) => s.connection);
  if (!ed.document() || isAdDocument(ed.document())) return null;
  const enabled = canMakeAd(ed);
  return (
    <Tooltip label={t('ad.make')} hint={t('ad.makeHint')} warning={enabled ? undefined : t('ad.makeBusy')} placement="bottom-end">
      <button type="button" className="btn make-ad" disabled={!enabled} onClick={() => void makeAd(ed, undefined, { background: t('ad.bg.title') })} data-testid="make-ad">
        <Megaphone size={16} strokeWidth={2} />
        {t('ad.make')}
      </button>
    </Tooltip>
  );
}
