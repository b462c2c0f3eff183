import { ImagePlus } from 'lucide-react';
import { useRef, type DragEvent } from 'react';
import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { addProductFromFile, pickProductPhoto } from '../../editor/ad/ad-flow-add-product';
import { CUTOUT_MIME, type CutoutPayload } from '../../editor/ad/cutout-drop';
import { adParts, type ProductRecord } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';

const ACCEPT = 'image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp';

/** What a tray item carries when dragged onto the stage (the ad canvas places it). */
export function cutoutPayload(p: ProductRecord): CutoutPayload {
  return { asset: p.props.asset, width: p.props.width, height: p.props.height, madeBy: p.props.madeBy, source: p.props.source, name: p.name };
}

/**
 * The ad's cut-outs: each one drags onto the canvas to place another copy; a click selects it.
 * "Add product" cuts out another photo and places it with auto place.
 */
export function CutoutTray() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const selected = useSession((s) => s.selectedId);
  const busy = useSession((s) => s.job !== null);
  const input = useRef<HTMLInputElement>(null);
  const doc = ed.document();
  const products = doc ? adParts(doc).layers.filter((l): l is ProductRecord => l.type === 'product') : [];

  const onDragStart = (e: DragEvent, p: ProductRecord) => {
    e.dataTransfer.setData(CUTOUT_MIME, JSON.stringify(cutoutPayload(p)));
    e.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <section className="panel ad-panel" data-testid="ad-cutouts">
      <h3 className="panel-title">{t('ad.tray.title')}</h3>
      {products.length === 0 ? <p className="panel-note">{t('ad.tray.empty')}</p> : <p className="field-hint">{t('ad.tray.dragHint')}</p>}
      <div className="ad-tray">
        {products.map((p) => (
          <div
            key={p.id}
            className={`ad-cutout${selected === p.id ? ' on' : ''}`}
            draggable
            role="button"
            tabIndex={0}
            title={p.name}
            onDragStart={(e) => onDragStart(e, p)}
            onClick={() => ed.session.set({ selectedId: p.id })}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && ed.session.set({ selectedId: p.id })}
            data-testid={`cutout-${p.id}`}
          >
            <img src={ed.platform.assetUrl(p.props.asset)} alt={p.name} draggable={false} />
          </div>
        ))}
      </div>
      <button type="button" className="btn" disabled={busy} title={t('ad.tray.addHint')} onClick={() => void pickProductPhoto(ed, () => input.current?.click())} data-testid="add-product">
        <ImagePlus size={15} />
        {t('ad.tray.add')}
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="add-product-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void addProductFromFile(ed, file);
        }}
      />
    </section>
  );
}
