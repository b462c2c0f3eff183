import { ScanSearch } from 'lucide-react';
import { useActionState, useDocVersion, useEditor } from '../../app/editor-context';
import { Tooltip } from '../../components/Tooltip';
import { getAction } from '../../editor/actions';
import { isAdDocument } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';

/** "Select product" (top bar, photo documents only): the product becomes the mask, to correct with the mask tools. */
export function SelectProductButton() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const state = useActionState();
  if (!ed.document() || isAdDocument(ed.document())) return null;
  const action = getAction('ad.selectProduct');
  const enabled = action.enabled(state);
  return (
    <Tooltip label={t('ad.select')} hint={t('ad.selectHint')} warning={enabled ? undefined : t('ad.selectBusy')} placement="bottom-end">
      <button type="button" className="btn make-ad" disabled={!enabled} onClick={() => void action.perform(ed)} data-testid="select-product">
        <ScanSearch size={16} strokeWidth={2} />
        {t('ad.select')}
      </button>
    </Tooltip>
  );
}
