import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { productSelection } from '../../editor/ad/product-selection';
import { useT } from '../../i18n/i18n-context';

/** In the mask panel: says the mask is the product selection (after "Select product") and how to correct it. */
export function ProductSelectionNote() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  useSession((s) => s.productMask);
  if (!productSelection(ed)) return null;
  return (
    <p className="field-hint" data-testid="product-selection-note" title={t('ad.selection.statusHint')}>
      <strong>{t('ad.selection.status')}</strong>
      <br />
      {t('ad.selection.statusHint')}
    </p>
  );
}
