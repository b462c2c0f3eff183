import { Eye, EyeOff, SquareDashedMousePointer, Type } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useDocVersion, useEditor, useSession } from '../app/editor-context';
import { IconButton } from '../components/IconButton';
import { madeByName } from '../editor/methods/method-names';
import type { DocRecord } from '../document/types';
import { useT } from '../i18n/i18n-context';

/** Layers, top first: visibility toggles (undoable), names, selection (session only). */
export function LayersPanel() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const selected = useSession((s) => s.selectedId);
  const maskEmpty = useSession((s) => s.maskEmpty);
  const records = [...(ed.store()?.records() ?? [])].reverse();

  // Which method made an erased image ("LaMa(으)로 지움"), as the compare bar said.
  const erasedBy = (madeBy: string) => {
    const by = madeByName(madeBy);
    return by ? t('methods.madeBy', { method: by }) : t('layers.erased');
  };

  const toggle = (r: DocRecord) => {
    ed.store()?.transact('history.visibility', (d) => d.update(r.id, (x) => ({ ...x, visible: !x.visible })));
  };

  return (
    <section className="panel" aria-labelledby="layers-title">
      <h3 className="panel-title" id="layers-title">
        {t('layers.title')}
      </h3>
      <ul className="layer-list" data-testid="layers-panel">
        {records.map((r) => {
          const name = r.type === 'mask' ? t('layers.mask') : r.name || t('layers.image');
          const meta =
            r.type === 'mask'
              ? maskEmpty
                ? t('layers.maskEmpty')
                : `${r.props.width} × ${r.props.height}`
              : r.type === 'text'
                ? r.props.text.slice(0, 40)
                : r.props.madeBy !== 'original' && r.type === 'image'
                  ? erasedBy(r.props.madeBy)
                  : `${r.props.width} × ${r.props.height}`;
          return (
            <li
              key={r.id}
              className={`layer-row${selected === r.id ? ' selected' : ''}${r.visible ? '' : ' hidden-layer'}`}
              onClick={() => ed.session.set({ selectedId: r.id })}
              aria-selected={selected === r.id}
              data-testid={`layer-${r.type}`}
            >
              <IconButton
                icon={r.visible ? Eye : EyeOff}
                label={r.visible ? t('layers.hide') : t('layers.show')}
                onClick={() => toggle(r)}
                placement="bottom"
                size={16}
                testId={`layer-visibility-${r.type}`}
              />
              <span className="layer-thumb">{r.type === 'mask' ? <SquareDashedMousePointer size={16} /> : r.type === 'text' ? <Type size={16} /> : <Thumb hash={r.props.asset} />}</span>
              <span className="layer-name">
                <div className="name" title={name}>
                  {name}
                </div>
                <div className="meta">{meta}</div>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A small canvas thumbnail drawn from the already-decoded bitmap (no second full-size decode). */
function Thumb({ hash }: { hash: string }) {
  const ed = useEditor();
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let live = true;
    ed.assets.getImage(hash).then(
      (bmp) => {
        const c = ref.current;
        const ctx = c?.getContext('2d');
        if (!live || !c || !ctx) return;
        const s = Math.min(c.width / bmp.width, c.height / bmp.height);
        const w = bmp.width * s;
        const h = bmp.height * s;
        ctx.clearRect(0, 0, c.width, c.height);
        ctx.drawImage(bmp, (c.width - w) / 2, (c.height - h) / 2, w, h);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [ed, hash]);
  return <canvas ref={ref} width={68} height={68} style={{ width: 34, height: 34 }} />;
}

