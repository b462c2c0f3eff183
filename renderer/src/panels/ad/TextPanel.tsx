import { Type } from 'lucide-react';
import { useEditor } from '../../app/editor-context';
import { addText } from '../../editor/ad/ad-flow-text';
import { useT } from '../../i18n/i18n-context';

/** "Add text": Korean placeholder copy across the top band, selected so the inspector opens. */
export function TextPanel() {
  const ed = useEditor();
  const t = useT();
  return (
    <section className="panel ad-panel">
      <button type="button" className="btn" onClick={() => addText(ed, t('ad.text.placeholder'))} data-testid="add-text">
        <Type size={15} />
        {t('ad.text.add')}
      </button>
    </section>
  );
}
