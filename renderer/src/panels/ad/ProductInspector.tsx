import { useEditor } from '../../app/editor-context';
import { editProduct } from '../../editor/ad/ad-flow-edit';
import type { ProductRecord } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';
import { AdColor } from './AdColor';
import { AdSlider } from './AdSlider';
import { AdToggle } from './AdToggle';
import { useGesture } from './use-layer-edit';

type Props = ProductRecord['props'];
const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The selected product's look: contact and drop shadow, tone match, edges. Sizes of shadows are
 * fractions of the product's height (ad-style.ts), shown as %; every change is one undo step.
 */
export function ProductInspector({ product }: { product: ProductRecord }) {
  const ed = useEditor();
  const t = useT();
  const shadowG = useGesture('ad.history.shadow');
  const toneG = useGesture('ad.history.tone');
  const edgeG = useGesture('ad.history.edge');
  const p = product.props;
  const { contact, drop } = p.shadow;

  const edit = (label: string, fn: (p: Props) => Props) => {
    const store = ed.store();
    if (store) editProduct(store, label, product.id, fn);
  };
  const setContact = (patch: Partial<Props['shadow']['contact']>) => edit('ad.history.shadow', (x) => ({ ...x, shadow: { ...x.shadow, contact: { ...x.shadow.contact, ...patch } } }));
  const setDrop = (patch: Partial<Props['shadow']['drop']>) => edit('ad.history.shadow', (x) => ({ ...x, shadow: { ...x.shadow, drop: { ...x.shadow.drop, ...patch } } }));
  const setTone = (patch: Partial<Props['tone']>) => edit('ad.history.tone', (x) => ({ ...x, tone: { ...x.tone, ...patch } }));
  const setEdge = (patch: Partial<Props['edge']>) => edit('ad.history.edge', (x) => ({ ...x, edge: { ...x.edge, ...patch } }));

  return (
    <section className="panel ad-panel" data-testid="ad-product-inspector">
      <h3 className="panel-title">{t('ad.product.title')}</h3>

      <div className="ad-group">
        <AdToggle label={t('ad.product.contact')} checked={contact.enabled} onChange={(on) => setContact({ enabled: on })} testId="contact-enabled" />
        <AdSlider label={t('ad.product.opacity')} value={contact.opacity} min={0} max={1} step={0.01} display={pct(contact.opacity)} disabled={!contact.enabled} gesture={shadowG} onChange={(v) => setContact({ opacity: v })} testId="contact-opacity" />
        <AdSlider label={t('ad.product.softness')} value={contact.softness} min={0} max={0.1} step={0.001} display={pct(contact.softness)} disabled={!contact.enabled} gesture={shadowG} onChange={(v) => setContact({ softness: v })} testId="contact-softness" />
        <AdSlider label={t('ad.product.height')} value={contact.height} min={0} max={0.2} step={0.001} display={pct(contact.height)} disabled={!contact.enabled} gesture={shadowG} onChange={(v) => setContact({ height: v })} testId="contact-height" />
      </div>

      <div className="ad-group">
        <AdToggle label={t('ad.product.drop')} checked={drop.enabled} onChange={(on) => setDrop({ enabled: on })} testId="drop-enabled" />
        <AdSlider label={t('ad.product.angle')} value={drop.angle} min={0} max={360} step={1} display={`${Math.round(drop.angle)}°`} disabled={!drop.enabled} gesture={shadowG} onChange={(v) => setDrop({ angle: v })} testId="drop-angle" />
        <AdSlider label={t('ad.product.distance')} value={drop.distance} min={0} max={0.3} step={0.002} display={pct(drop.distance)} disabled={!drop.enabled} gesture={shadowG} onChange={(v) => setDrop({ distance: v })} testId="drop-distance" />
        <AdSlider label={t('ad.product.softness')} value={drop.softness} min={0} max={0.3} step={0.002} display={pct(drop.softness)} disabled={!drop.enabled} gesture={shadowG} onChange={(v) => setDrop({ softness: v })} testId="drop-softness" />
        <AdSlider label={t('ad.product.opacity')} value={drop.opacity} min={0} max={1} step={0.01} display={pct(drop.opacity)} disabled={!drop.enabled} gesture={shadowG} onChange={(v) => setDrop({ opacity: v })} testId="drop-opacity" />
        <AdColor label={t('ad.product.color')} value={drop.color} gesture={shadowG} onChange={(c) => setDrop({ color: c })} testId="drop-color" />
      </div>

      <div className="ad-group">
        <AdToggle label={t('ad.product.tone')} checked={p.tone.enabled} onChange={(on) => setTone({ enabled: on })} testId="tone-enabled" />
        <AdSlider label={t('ad.product.strength')} value={p.tone.strength} min={0} max={1} step={0.01} display={pct(p.tone.strength)} disabled={!p.tone.enabled} gesture={toneG} onChange={(v) => setTone({ strength: v })} testId="tone-strength" />
      </div>

      <div className="ad-group">
        <div className="ad-group-title">{t('ad.product.edges')}</div>
        <AdSlider label={t('ad.product.feather')} value={p.edge.feather} min={0} max={10} step={0.1} display={`${p.edge.feather.toFixed(1)} px`} gesture={edgeG} onChange={(v) => setEdge({ feather: v })} testId="edge-feather" />
        <AdSlider label={t('ad.product.defringe')} value={p.edge.defringe} min={0} max={10} step={0.5} display={`${p.edge.defringe} px`} gesture={edgeG} onChange={(v) => setEdge({ defringe: v })} testId="edge-defringe" />
        <AdSlider label={t('ad.product.lightWrap')} value={p.edge.lightWrap} min={0} max={1} step={0.01} display={pct(p.edge.lightWrap)} gesture={edgeG} onChange={(v) => setEdge({ lightWrap: v })} testId="edge-lightwrap" />
        <AdSlider label={t('ad.product.radius')} value={p.edge.lightWrapRadius} min={0} max={60} step={1} display={`${p.edge.lightWrapRadius} px`} gesture={edgeG} onChange={(v) => setEdge({ lightWrapRadius: v })} testId="edge-radius" />
      </div>
    </section>
  );
}
